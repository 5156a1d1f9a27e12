/** The kinds of text the council reads as it is (HTML is turned into text first). */
export type TextType = "text" | "markdown" | "code" | "csv" | "tsv" | "json" | "yaml" | "xml" | "html" | "log";
export type DocumentType = TextType | "pdf" | "docx";
export type ImageType = "png" | "jpeg" | "webp" | "gif";
export type AttachmentType = DocumentType | ImageType;

/** What is known of any file that was read; the record keeps all of it. */
interface AttachmentFacts {
  /** The name it was sent under (never trusted for its type). */
  name: string;
  /** What its bytes are. */
  type: AttachmentType;
  /** Bytes, as sent. */
  size: number;
  /** Hex SHA-256 of the bytes as sent: the same file asked about twice is recognisable. */
  sha256: string;
}

export interface DocumentAttachment extends AttachmentFacts {
  kind: "document";
  type: DocumentType;
  /** Pages of a PDF; undefined for other documents, which have none until printed. */
  pages: number | undefined;
  /** Characters extracted, and how many of them `text` keeps (FILE_MAX_CHARS). */
  characters: { total: number; used: number };
  /** The text the members read; when `used < total`, its middle is left out and a line says so. */
  text: string;
}

export interface ImageAttachment extends AttachmentFacts {
  kind: "image";
  type: ImageType;
  width: number;
  height: number;
  /**
   * What goes into Ollama's `images` field: base64 of bytes Ollama decodes (PNG, JPEG or WEBP;
   * a GIF's first frame is re-encoded as PNG). Never stored: `attachmentRecord` drops it.
   */
  image: { base64: string; format: "png" | "jpeg" | "webp" };
}

export type Attachment = DocumentAttachment | ImageAttachment;

/** What the record keeps of an attachment: everything but an image's bytes. */
export type AttachmentRecord = DocumentAttachment | Omit<ImageAttachment, "image">;

export function attachmentRecord(attachment: Attachment): AttachmentRecord {
  if (attachment.kind === "document") return attachment;
  const { image: _bytes, ...facts } = attachment;
  return facts;
}
