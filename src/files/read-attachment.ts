import { createHash } from "node:crypto";
import { convert as htmlToText } from "html-to-text";
import type { Attachment, DocumentAttachment, DocumentType } from "./attachment.js";
import { detectFileType } from "./detect-file-type.js";
import { READ_LIMIT_MS } from "./extraction-workers.js";
import type { FileLimits } from "./file-limits.js";
import { FileRefusedError } from "./file-refused-error.js";
import { type KeptDocumentText, keepDocumentText } from "./keep-document-text.js";
import { readDocx } from "./read-docx.js";
import { readImage } from "./read-image.js";
import { readPdf } from "./read-pdf.js";

export interface AttachedFile {
  /** The name it was sent under; only a hint. */
  name: string;
  bytes: Uint8Array;
}

/**
 * Every file of one question, read, or a FileRefusedError for the first that cannot be: the
 * count and every size are checked before any file is read, and the files are read one after
 * the other (a PDF's pages and an image's pixels each take memory), so the question runs with
 * all its files or with none.
 */
export async function readAttachments(files: readonly AttachedFile[], limits: FileLimits): Promise<Attachment[]> {
  checkFileCount(files.length, limits);
  for (const file of files) checkSize(file.name, file.bytes, limits);
  const attachments: Attachment[] = [];
  for (const file of files) attachments.push(await readAttachment(file.name, file.bytes, limits));
  return attachments;
}

/** Refuses a question with more files than it may carry; a chat adapter asks before downloading any. */
export function checkFileCount(count: number, limits: Pick<FileLimits, "maxFiles">): void {
  if (count > limits.maxFiles) {
    throw new FileRefusedError(
      "too-many-files",
      limits.maxFiles === 0
        ? "Files are turned off here: ask without them, or paste the part that matters into the question."
        : `That is ${count} files; a question may carry at most ${limits.maxFiles}. Send the ones that matter most, or ask about the others in a follow-up.`,
    );
  }
}

/** One file, read: the text of a document, or an image as Ollama takes it. */
export async function readAttachment(name: string, bytes: Uint8Array, limits: FileLimits): Promise<Attachment> {
  checkSize(name, bytes, limits);
  const facts = { name, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
  const detected = await detectFileType(name, bytes);
  switch (detected.type) {
    case "png":
    case "jpeg":
    case "webp":
    case "gif":
      return { kind: "image", type: detected.type, ...facts, ...readImage(name, detected.type, bytes, limits.maxImagePixels) };
    // A PDF's or a DOCX's text is cut on the extraction thread that reads it: only the kept part crosses.
    case "pdf": {
      const pdf = await readPdf(name, bytes, limits.maxPdfPages, READ_LIMIT_MS, limits.maxCharacters);
      return documentOf(facts, "pdf", pdf.pages, pdf);
    }
    case "docx":
      return documentOf(facts, "docx", undefined, await readDocx(name, bytes, limits.maxCharacters));
    case "html":
      // Links keep their address beside their words; images and scripts are left out.
      return documentOf(facts, "html", undefined, keepDocumentText(htmlToText(detected.text, { wordwrap: false }), limits.maxCharacters));
    default:
      return documentOf(facts, detected.type, undefined, keepDocumentText(detected.text, limits.maxCharacters));
  }
}

function checkSize(name: string, bytes: Uint8Array, limits: FileLimits): void {
  if (bytes.length === 0) {
    throw new FileRefusedError("empty", `"${name}" is empty (0 bytes). Check that it was saved, and send it again.`, name);
  }
  if (bytes.length > limits.maxFileBytes) {
    throw new FileRefusedError(
      "too-large",
      `"${name}" is ${megabytes(bytes.length)}; a file may be at most ${megabytes(limits.maxFileBytes)}. Send a smaller file, or only the part that matters.`,
      name,
    );
  }
}

function documentOf(
  facts: { name: string; size: number; sha256: string },
  type: DocumentType,
  pages: number | undefined,
  kept: KeptDocumentText,
): DocumentAttachment {
  if (kept.blank) {
    throw new FileRefusedError(
      "no-text",
      type === "pdf"
        ? `"${facts.name}" has no text to read: it is probably a scan. Send its pages as images (screenshots), or a PDF with a text layer.`
        : `"${facts.name}" has no text in it. Check that it is the file you meant.`,
      facts.name,
    );
  }
  return { kind: "document", type, ...facts, pages, characters: kept.characters, text: kept.text };
}

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} MB`;
}
