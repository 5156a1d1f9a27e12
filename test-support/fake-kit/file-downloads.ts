// How the fakes' file hosts (Discord's CDN, Slack's files-pri) answer a download, and the record
// of every download: who asked (the Authorization header), what was answered, how much of the
// body was written before it ended or the client went away. A test scripts the next downloads'
// misbehaviour (a status, a chunked body, a Content-Length that lies, a body that stalls) to see
// what the bot's downloader does with it.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface DownloadFault {
  /** Answer this status, with a short text body, instead of the file. */
  status?: number;
  /** Send the body chunked, without a Content-Length. */
  chunked?: boolean;
  /** Send this Content-Length whatever the body's size: a lie. */
  contentLength?: number;
  /** Write this many bytes of the body, then nothing more: the connection stays open, the body never ends. */
  stallAfterBytes?: number;
  /** Serve these bytes instead of the stored ones (say, far more than the platform said the file holds). */
  body?: Uint8Array;
}

export interface RecordedDownload {
  method: string;
  /** The path and query asked for. */
  path: string;
  /** The Authorization header as sent, or undefined. */
  authorization?: string;
  status: number;
  /** Bytes of the body written before it ended or the client went away. */
  bytesSent: number;
  /** Whether the whole body was written. */
  completed: boolean;
  /** Whether a scripted fault answered it. */
  fault: boolean;
  at: number;
}

export interface DownloadAnswer {
  status: number;
  body: Uint8Array;
  headers?: Record<string, string>;
}

export interface DownloadDesk {
  readonly downloads: readonly RecordedDownload[];
  /** The next download (of any file) misbehaves this way; several queue up in order. */
  failNext(fault: DownloadFault): void;
  /** Answers a download: with `answer` (what the platform would send), unless a scripted fault comes first. */
  send(req: IncomingMessage, res: ServerResponse, answer: DownloadAnswer): void;
  reset(): void;
}

const SLICE = 64 * 1024;

export function createDownloadDesk(now: () => number): DownloadDesk {
  const downloads: RecordedDownload[] = [];
  const faults: DownloadFault[] = [];

  return {
    downloads,
    failNext: (fault) => void faults.push(fault),
    reset() {
      downloads.length = 0;
      faults.length = 0;
    },
    send(req, res, answer) {
      const fault = answer.status === 200 ? faults.shift() : undefined;
      const status = fault?.status ?? answer.status;
      const body = fault?.status !== undefined ? new TextEncoder().encode(`fake file host: scripted ${fault.status}`) : (fault?.body ?? answer.body);
      const record: RecordedDownload = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        status,
        bytesSent: 0,
        completed: false,
        fault: fault !== undefined,
        at: now(),
      };
      downloads.push(record);
      const headers: Record<string, string> = { ...answer.headers };
      if (!fault?.chunked) headers["Content-Length"] = String(fault?.contentLength ?? body.length);
      res.writeHead(status, headers);
      const last = fault?.stallAfterBytes === undefined ? body.length : Math.min(fault.stallAfterBytes, body.length);
      let offset = 0;
      // Slices with back-pressure: a client that stops reading stops the writing, as a real host's would.
      const pump = () => {
        while (offset < last && !res.destroyed) {
          const slice = body.subarray(offset, Math.min(offset + SLICE, last));
          offset += slice.length;
          record.bytesSent = offset;
          if (!res.write(slice)) return void res.once("drain", pump);
        }
        if (res.destroyed || fault?.stallAfterBytes !== undefined) return;
        res.end();
        record.completed = true;
      };
      if (req.method === "HEAD") {
        res.end();
        record.completed = true;
        return;
      }
      pump();
    },
  };
}
