// One response in the making: writes it as Ollama would and keeps the request's record true
// (status, first byte, completed / aborted / cut), and tells the handler when to stop.
import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "./model-script.js";
import type { RequestLog } from "./request-log.js";
import { now } from "./timers.js";
import { JSON_TYPE, NDJSON_TYPE } from "./wire.js";

export interface Reply {
  /** Aborts when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  readonly headersSent: boolean;
  json(status: number, body: unknown): void;
  error(status: number, message: string): void;
  text(status: number, text: string, headers?: Record<string, string>): void;
  /** Streams NDJSON lines; the first call sends the 200 headers, as Ollama does with the first token. */
  stream(lines: string): void;
  endStream(lines: string): void;
  /** Destroys the socket mid-response, as a crashed server would. */
  cut(): void;
}

export function createReply(res: ServerResponse, record: RecordedRequest, log: RequestLog, lifetime: AbortSignal): Reply {
  const client = new AbortController();
  let cut = false;

  res.on("finish", () => log.update(record, { completed: true, finishedAt: now() }));
  res.on("close", () => {
    if (res.writableFinished) return;
    // Abort before settling the record: slots are given back in abort listeners, so a test
    // that wakes on the settled record already sees the slot free.
    client.abort(new Error("fake-ollama: the client went away"));
    if (cut) log.update(record, { finishedAt: now() });
    else log.update(record, { aborted: true, finishedAt: now() });
  });

  const writable = () => !res.destroyed && !res.writableEnded;
  const head = (status: number, headers: Record<string, string | number>) => {
    res.writeHead(status, headers);
    log.update(record, { status, firstByteAt: now() });
  };
  const whole = (status: number, type: string, text: string, headers: Record<string, string> = {}) => {
    if (!writable() || res.headersSent) return;
    head(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  return {
    signal: AbortSignal.any([client.signal, lifetime]),
    get headersSent() {
      return res.headersSent;
    },
    json: (status, body) => whole(status, JSON_TYPE, JSON.stringify(body)),
    error: (status, message) => whole(status, JSON_TYPE, JSON.stringify({ error: message })),
    text: (status, text, headers) => whole(status, "text/plain; charset=utf-8", text, headers),
    stream(lines) {
      if (!writable()) return;
      if (!res.headersSent) head(200, { "Content-Type": NDJSON_TYPE });
      res.write(lines);
    },
    endStream(lines) {
      if (!writable()) return;
      if (!res.headersSent) head(200, { "Content-Type": NDJSON_TYPE });
      res.end(lines);
    },
    cut() {
      cut = true;
      const socket = res.socket;
      if (!socket || !res.headersSent) {
        res.destroy();
        return;
      }
      // Node corks the socket until the next tick: let the tokens already written reach the
      // wire, then drop the connection before the done chunk.
      setImmediate(() => {
        if (socket.writableLength > 0) socket.once("drain", () => res.destroy());
        else res.destroy();
      });
    },
  };
}
