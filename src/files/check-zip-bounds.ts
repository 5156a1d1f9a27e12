import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { FileRefusedError } from "./file-refused-error.js";

/** How far a zip container (a DOCX) may expand when read. */
export interface ZipBounds {
  maxEntries: number;
  maxUncompressedBytes: number;
}

/**
 * Refuses an archive that holds too many entries or declares more bytes than the bound, from
 * its central directory alone; then inflates every entry, discarding the output, and refuses it
 * as soon as one yields more than it declared, as a bomb that lies about its sizes does. Only
 * then may a library that inflates without limits (mammoth, through JSZip) read it. An archive
 * that cannot be read at all rejects with yauzl's error, for the caller to word.
 */
export async function checkZipBounds(name: string, bytes: Uint8Array, bounds: ZipBounds): Promise<void> {
  const zip = await openZip(bytes);
  try {
    if (zip.entryCount > bounds.maxEntries) throw bomb(name, `holds ${zip.entryCount} files, more than a document has (at most ${bounds.maxEntries})`);
    const entries: yauzl.Entry[] = [];
    for await (const entry of entriesOf(zip)) entries.push(entry);
    const declared = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
    if (declared > bounds.maxUncompressedBytes) throw bomb(name, `unpacks to more than ${megabytes(bounds.maxUncompressedBytes)}, more than a document does`);
    for (const entry of entries) {
      if (entry.fileName.endsWith("/")) continue;
      const stream = await openEntry(zip, entry);
      let inflated = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        if (inflated > entry.uncompressedSize) {
          stream.destroy();
          throw bomb(name, "unpacks to more than it says it holds, as a zip bomb does");
        }
      }
    }
  } finally {
    zip.close();
  }
}

function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // Sizes are checked here, entry by entry, so yauzl's own check (an error without a kind) is off.
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, validateEntrySizes: false }, (error, zip) => {
      if (error !== null || zip === undefined) reject(error ?? new Error("no archive"));
      else resolve(zip);
    });
  });
}

async function* entriesOf(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  while (true) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      const cleanUp = () => {
        zip.off("entry", onEntry);
        zip.off("end", onEnd);
        zip.off("error", onError);
      };
      const onEntry = (entry: yauzl.Entry) => (cleanUp(), resolve(entry));
      const onEnd = () => (cleanUp(), resolve(undefined));
      const onError = (error: Error) => (cleanUp(), reject(error));
      zip.on("entry", onEntry).on("end", onEnd).on("error", onError);
      zip.readEntry();
    });
    if (entry === undefined) return;
    yield entry;
  }
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error !== null || stream === undefined) reject(error ?? new Error("no stream"));
      else resolve(stream);
    });
  });
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

function bomb(name: string, why: string): FileRefusedError {
  return new FileRefusedError(
    "zip-bomb",
    `"${name}" ${why}, so it is not opened. If it is a real document, save it again from your word processor, or send it as a PDF.`,
    name,
  );
}
