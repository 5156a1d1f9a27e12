/** Why a file was refused; one per check, so callers (and tests) never match on the message. */
export type FileRefusalKind =
  | "too-many-files"
  | "too-large"
  | "empty"
  | "unknown-type"
  | "mismatched-type"
  | "not-utf8"
  | "encrypted-pdf"
  | "broken-pdf"
  | "too-many-pages"
  | "too-slow"
  | "too-much-memory"
  | "reader-failed"
  | "zip-bomb"
  | "broken-docx"
  | "too-many-pixels"
  | "broken-image"
  | "no-text";

/**
 * A file the council will not read. The message is for the person who sent it, in chat: it
 * names the file, what is wrong and what to do. Nothing about it changes by retrying.
 */
export class FileRefusedError extends Error {
  override readonly name = "FileRefusedError";
  readonly retryable = false;
  constructor(
    readonly kind: FileRefusalKind,
    message: string,
    /** The file's name as it was sent; undefined when the refusal is about the files together. */
    readonly fileName?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
