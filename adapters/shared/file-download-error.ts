// Why an attached file could not be fetched, as a kind the caller can act on and a message
// written for the person who attached it (what happened and what to do), so an adapter can show
// `message` privately as it is. The cause (undici's error, a status) is kept for the logs.

export type FileDownloadErrorKind =
  /** The URL is not on one of the platform's file hosts: nothing was requested. */
  | "not-allowed-host"
  /** Over the size cap, by the platform's word, Content-Length, or the bytes counted so far. */
  | "too-large"
  /** The file host did not finish within the time allowed. */
  | "timeout"
  /** The file host answered with something other than 200 (a redirect included). */
  | "http-status"
  /** The connection failed or broke, or the answer was not valid HTTP. */
  | "network";

const RETRYABLE: ReadonlySet<FileDownloadErrorKind> = new Set(["timeout", "network"]);

export class FileDownloadError extends Error {
  override readonly name = "FileDownloadError";
  readonly kind: FileDownloadErrorKind;
  /** The HTTP status, for "http-status". */
  readonly status: number | undefined;
  /** Whether asking again a moment later may work (a timeout, a broken connection). */
  readonly retryable: boolean;

  constructor(kind: FileDownloadErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryable = RETRYABLE.has(kind);
  }
}

export function isFileDownloadError(error: unknown): error is FileDownloadError {
  return error instanceof FileDownloadError;
}
