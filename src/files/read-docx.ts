import { botExtraction } from "./extraction-workers.js";
import type { KeptDocumentText } from "./keep-document-text.js";

/**
 * A Word document's text, read on an extraction thread (extract-docx.ts does the reading), which
 * keeps `maxCharacters` of it (FILE_MAX_CHARS) and sends back only that: refused when it is a zip
 * bomb or damaged, or takes more time or memory than a document may.
 */
export async function readDocx(name: string, bytes: Uint8Array, maxCharacters: number): Promise<KeptDocumentText> {
  const { text, characters, blank } = await botExtraction.read({ type: "docx", name, bytes, maxCharacters });
  // A reply to a request with maxCharacters always has its counts (extraction-workers.ts checks them).
  return { text, characters: characters as KeptDocumentText["characters"], blank: blank as boolean };
}
