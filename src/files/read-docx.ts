import { botExtraction } from "./extraction-workers.js";

/**
 * A Word document's text, read on an extraction thread (extract-docx.ts does the reading):
 * refused when it is a zip bomb or damaged, or takes more time or memory than a document may.
 */
export async function readDocx(name: string, bytes: Uint8Array): Promise<string> {
  return (await botExtraction.read({ type: "docx", name, bytes })).text;
}
