import { botExtraction, READ_LIMIT_MS } from "./extraction-workers.js";
import type { KeptDocumentText } from "./keep-document-text.js";

export interface KeptPdfText extends KeptDocumentText {
  pages: number;
}

/**
 * The PDF's text layer, page by page, read on an extraction thread (extract-pdf.ts does the
 * reading), which keeps `maxCharacters` of it (FILE_MAX_CHARS; by default all of it) and sends
 * back only that: refused when it has more than `maxPages` pages, is locked or damaged, or takes
 * more than `limitMs` or more memory than a document may.
 */
export async function readPdf(name: string, bytes: Uint8Array, maxPages: number, limitMs = READ_LIMIT_MS, maxCharacters = Number.MAX_SAFE_INTEGER): Promise<KeptPdfText> {
  const { text, pages, characters, blank } = await botExtraction.read({ type: "pdf", name, bytes, maxPages, maxCharacters }, limitMs);
  // A reply to a PDF always has its page count, and one to a request with maxCharacters its counts (extraction-workers.ts checks them).
  return { pages: pages as number, text, characters: characters as KeptPdfText["characters"], blank: blank as boolean };
}
