import { request } from "undici";
import { FileDownloadError } from "./file-download-error.js";
import type { FileReference } from "./file-reference.js";

// Fetches the bytes of a file a user attached, from the platform's own file hosts only. Every
// input here is hostile: the URL must be on a host of the allowlist (nothing else is ever asked,
// so no arbitrary URL can be made to fetch through the bot), a redirect is refused rather than
// followed (Slack answers a bad token with a redirect to its sign-in page, whose HTML would pass
// for the file; and the token must never follow a redirect to another host), the bytes are
// counted as they arrive and the download cut the moment they pass the cap (a Content-Length
// can be missing, chunked, or wrong), and the whole download has one deadline, so a host that
// stalls mid-body cannot hold a council's slot.

export interface FileDownloaderOptions {
  /** The platform's name, for the user's messages: "Discord", "Slack". */
  platform: string;
  /** The origins (scheme://host[:port]) the platform serves files from, as the settings give them. */
  allowedOrigins: readonly string[];
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** The time one download may take, headers and body together. */
  timeoutMs: number;
  /** Sent with each request (Slack: Authorization: Bearer <bot token>); only ever to allowedOrigins. */
  headers?: Readonly<Record<string, string>>;
  /** What to tell the user when the host refuses the bot (401, 403, a redirect to a sign-in page). */
  refusedAdvice?: string;
}

export interface DownloadedFile {
  name: string;
  /** The type the file host sent (Content-Type), else the platform's; the bytes decide the real one. */
  contentType?: string;
  bytes: Uint8Array;
}

export interface FileDownloader {
  /** The file's bytes, or a FileDownloadError whose message the user can be shown as it is. */
  download(file: FileReference, signal?: AbortSignal): Promise<DownloadedFile>;
}

export function createFileDownloader(options: FileDownloaderOptions): FileDownloader {
  const allowed = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
  const { platform, maxBytes, timeoutMs } = options;

  function tooLarge(file: FileReference, size: number | undefined): FileDownloadError {
    const what = size === undefined ? `is larger than ${formatBytes(maxBytes)}` : `is ${formatBytes(size)}`;
    return new FileDownloadError(
      "too-large",
      `"${file.name}" ${what}, and the council reads files up to ${formatBytes(maxBytes)}. Send a smaller file (or only the part that matters) and ask again.`,
    );
  }

  function statusError(file: FileReference, status: number): FileDownloadError {
    const refused = status === 401 || status === 403 || (status >= 300 && status < 400);
    const message =
      status === 404 || status === 410
        ? `${platform} no longer has "${file.name}" (it was deleted, or its link expired). Attach it again and ask again.`
        : refused
          ? (options.refusedAdvice ?? `${platform} would not give the bot "${file.name}" (HTTP ${status}). Attach the file again; if it keeps happening, tell the bot's admin.`)
          : `${platform} could not send "${file.name}" (HTTP ${status}). Please ask again in a moment.`;
    return new FileDownloadError("http-status", message, { status });
  }

  function checkedUrl(file: FileReference): URL {
    let url: URL | undefined;
    try {
      url = new URL(file.url);
    } catch {
      url = undefined;
    }
    if (!url || !allowed.has(url.origin) || url.username !== "" || url.password !== "") {
      throw new FileDownloadError(
        "not-allowed-host",
        `The council only reads files stored by ${platform}, and "${file.name}" is not one of them. Upload the file itself to ${platform} and ask again.`,
      );
    }
    return url;
  }

  return {
    async download(file, signal) {
      const url = checkedUrl(file);
      // The platform's own word first: no request at all for a file it says is too large.
      if (file.size > maxBytes) throw tooLarge(file, file.size);

      const deadline = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        deadline.abort();
      }, timeoutMs);
      const aborted = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
      const failure = (error: unknown): unknown => {
        if (error instanceof FileDownloadError) return error;
        if (timedOut) {
          return new FileDownloadError("timeout", `${platform} took longer than ${formatSeconds(timeoutMs)} to send "${file.name}". Please ask again in a moment.`, { cause: error });
        }
        // The caller gave up (the council was cancelled): not the file's fault, so its own reason.
        if (signal?.aborted) return signal.reason;
        return new FileDownloadError("network", `"${file.name}" could not be fetched from ${platform}: the connection failed. Please ask again in a moment.`, { cause: error });
      };

      try {
        const response = await request(url, { method: "GET", headers: { ...options.headers }, signal: aborted });
        const { statusCode, headers, body } = response;
        try {
          if (statusCode !== 200) throw statusError(file, statusCode);
          const declared = Number(headers["content-length"]);
          if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(file, declared);
          const chunks: Buffer[] = [];
          let received = 0;
          for await (const chunk of body as AsyncIterable<Buffer>) {
            received += chunk.length;
            if (received > maxBytes) throw tooLarge(file, undefined);
            chunks.push(chunk);
          }
          const contentType = typeof headers["content-type"] === "string" ? headers["content-type"] : file.contentType;
          return { name: file.name, ...(contentType === undefined ? {} : { contentType }), bytes: new Uint8Array(Buffer.concat(chunks, received)) };
        } finally {
          // Stops reading at once (the rest of an oversized or refused body is never fetched) and frees
          // the socket; undici then reports the abort as the body's error, which is expected here.
          if (!body.destroyed) body.on("error", () => {}).destroy();
        }
      } catch (error) {
        throw failure(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function formatSeconds(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}
