import mammoth from "mammoth";
import { checkZipBounds } from "./check-zip-bounds.js";
import { FileRefusedError } from "./file-refused-error.js";

// Runs in the extraction worker (extraction-worker-main.ts), never on the bot's thread: mammoth
// parses the whole document at once, and the worker's time and memory bounds
// (extraction-workers.ts) stop a document that takes too long or too much.

// A DOCX is a zip of XML. A real one, even a long book full of pictures, stays far below these
// (pictures are stored, not expanded); mammoth builds a tree of the XML it reads, many times its
// size in memory, so the bound on what may be unpacked is also a bound on the worker's memory.
const DOCX_BOUNDS = { maxEntries: 2000, maxUncompressedBytes: 50 * 1024 * 1024 };

export async function extractDocx(name: string, bytes: Uint8Array): Promise<string> {
  try {
    await checkZipBounds(name, bytes, DOCX_BOUNDS);
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return result.value;
  } catch (error) {
    if (error instanceof FileRefusedError) throw error;
    throw new FileRefusedError(
      "broken-docx",
      `"${name}" is a damaged Word document that cannot be read. Open it and save it again as DOCX, or send it as a PDF.`,
      name,
      { cause: error },
    );
  }
}
