import type { PdfText } from "./extract-pdf.js";
import { botExtraction, READ_LIMIT_MS } from "./extraction-workers.js";

export type { PdfText } from "./extract-pdf.js";

/**
 * The PDF's text layer, page by page, read on an extraction thread (extract-pdf.ts does the
 * reading): refused when it has more than `maxPages` pages, is locked or damaged, or takes more
 * than `limitMs` or more memory than a document may.
 */
export async function readPdf(name: string, bytes: Uint8Array, maxPages: number, limitMs = READ_LIMIT_MS): Promise<PdfText> {
  const { text, pages } = await botExtraction.read({ type: "pdf", name, bytes, maxPages }, limitMs);
  // A PDF's reply always has its page count (extraction-workers.ts checks it).
  return { pages: pages as number, text };
}
