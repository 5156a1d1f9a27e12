import net from "node:net";
import tls from "node:tls";
import { ChunkedDecoder } from "./http1/chunked-decoder.js";
import { hasNoBody, MalformedResponseError, parseResponseHead, type ResponseHead } from "./http1/response-head.js";
import { createIdleSockets } from "./http1/idle-sockets.js";
import { OllamaBadResponseError, OllamaUnreachableError, WorkerHttpError } from "./errors.js";

// A small HTTP/1.1 client for the one server the worker talks to. node:http's client cost
// about 0.1 ms of CPU per request in the worker's profile (ClientRequest, agent, IncomingMessage
// and the stream pipe), which is most of what a burst of requests queues behind. Here a request
// is one write on a kept-alive socket, and the body is unframed straight into a sink. There is
// no header timeout: Ollama sends its headers only with the first token, after loading the
// model and evaluating the prompt.

const CONNECT_TIMEOUT_MS = 5_000;
// Metadata calls (tags, ps, show, version) are answered from memory by Ollama; if one takes
// this long, Ollama is wedged and the caller is better told so.
const METADATA_TIMEOUT_MS = 10_000;

export interface UpstreamRequest {
  method: "GET" | "POST";
  path: string;
  body?: string;
  signal?: AbortSignal;
}

/** Where a response body goes, piece by piece. After end() or fail(), nothing more is called. */
export interface BodySink {
  data(payload: Buffer): void;
  end(): void;
  /** The body stopped short: Ollama's connection ended, sent bytes that are not HTTP, or the request was aborted. */
  fail(error: Error): void;
}

export interface UpstreamResponse {
  head: ResponseHead;
  /** Starts the body flowing into `sink`; called once, as soon as the caller is ready for it. */
  pipeTo(sink: BodySink): void;
  /** Backpressure from a slow caller: stop and restart reading from Ollama. */
  pause(): void;
  resume(): void;
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

export function createOllamaUpstream(baseUrl: string, options: { tls?: tls.ConnectionOptions } = {}) {
  const target = new URL(baseUrl);
  const secure = target.protocol === "https:";
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(target.port) || (secure ? 443 : 80);
  const pathPrefix = target.pathname.replace(/\/+$/, "");
  const idle = createIdleSockets();
  const live = new Set<net.Socket>();

  function connect(): net.Socket {
    const socket = secure ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...options.tls }) : net.connect({ host, port });
    live.add(socket);
    socket.once("close", () => live.delete(socket));
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" })), CONNECT_TIMEOUT_MS);
    socket.once(secure ? "secureConnect" : "connect", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
    return socket;
  }

  function requestBytes({ method, path, body }: UpstreamRequest): string {
    let head = `${method} ${pathPrefix}${path} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: application/x-ndjson, application/json\r\n`;
    if (body !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    return `${head}\r\n${body ?? ""}`;
  }

  /** Resolves with the response as soon as its head arrives; the body waits for pipeTo(). */
  function open(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { signal } = request;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return exchange(request, idle.take()).catch((error: unknown) => {
      // A kept-alive socket that Ollama closed while it sat idle fails before any answer;
      // the request never reached Ollama, so it is sent again on a new connection.
      if (error instanceof StaleSocketError && !signal?.aborted) return exchange(request, undefined);
      throw error;
    });
  }

  function exchange(request: UpstreamRequest, reused: net.Socket | undefined): Promise<UpstreamResponse> {
    const socket = reused ?? connect();
    const { signal } = request;
    return new Promise((resolve, reject) => {
      let received: Buffer | undefined;
      let response: ResponseExchange | undefined;
      let lastError: Error | undefined;

      const onData = (bytes: Buffer) => {
        if (response) return response.onBytes(bytes);
        received = received ? Buffer.concat([received, bytes]) : bytes;
        let parsed;
        try {
          while ((parsed = parseResponseHead(received)) && parsed.head.status < 200) received = received.subarray(parsed.bodyStart);
        } catch (error) {
          socket.destroy();
          return reject(new OllamaBadResponseError(baseUrl, `${request.method} ${request.path}`, (error as Error).message));
        }
        if (!parsed) return;
        socket.pause(); // until the caller is ready for the body
        response = new ResponseExchange(parsed.head, received.subarray(parsed.bodyStart), socket, detach, (reusable) => {
          if (reusable) idle.give(socket);
          else socket.destroy();
        });
        resolve(response.handle());
      };
      const onEnd = () => {
        if (response) return response.onEnd();
        socket.destroy();
      };
      const onClose = () => {
        if (response) return response.onEnd();
        if (signal?.aborted) reject(signal.reason);
        else if (reused && received === undefined) reject(new StaleSocketError());
        else reject(new OllamaUnreachableError(baseUrl, lastError ?? Object.assign(new Error("connection closed"), { code: "ECONNRESET" })));
      };
      const onError = (error: Error) => {
        lastError = error; // 'close' follows and settles
      };
      const onAbort = () => {
        socket.destroy();
        response?.onAbort(signal?.reason as Error);
      };
      function detach() {
        socket.off("data", onData);
        socket.off("end", onEnd);
        socket.off("close", onClose);
        socket.off("error", onError);
        signal?.removeEventListener("abort", onAbort);
      }

      socket.on("data", onData);
      socket.on("end", onEnd);
      socket.on("close", onClose);
      socket.on("error", onError);
      signal?.addEventListener("abort", onAbort, { once: true });
      socket.write(requestBytes(request));
    });
  }

  async function json<T = unknown>(method: "GET" | "POST", path: string, payload?: unknown): Promise<JsonResponse<T>> {
    const request = { method, path, body: payload === undefined ? undefined : JSON.stringify(payload), signal: AbortSignal.timeout(METADATA_TIMEOUT_MS) };
    let status: number;
    let text: string;
    try {
      const response = await open(request);
      status = response.head.status;
      text = await readText(response);
    } catch (error) {
      throw error instanceof WorkerHttpError ? error : new OllamaUnreachableError(baseUrl, error);
    }
    try {
      return { status, body: (text ? JSON.parse(text) : {}) as T };
    } catch {
      throw new OllamaBadResponseError(baseUrl, `${method} ${path}`, `HTTP ${status} and a body that is not JSON`);
    }
  }

  function close(): void {
    for (const socket of live) socket.destroy();
  }

  return { url: baseUrl, open, json, close };
}

export type OllamaUpstream = ReturnType<typeof createOllamaUpstream>;

class StaleSocketError extends Error {
  override readonly name = "StaleSocketError";
}

/** One response's body: framed by chunks, by Content-Length, or by the connection closing. */
class ResponseExchange {
  private sink: BodySink | undefined;
  private settled = false;
  private failure: Error | undefined;
  private readonly decoder: ChunkedDecoder | undefined;
  private remaining: number;

  constructor(
    readonly head: ResponseHead,
    private pending: Buffer,
    private readonly socket: net.Socket,
    private readonly detach: () => void,
    private readonly release: (reusable: boolean) => void,
  ) {
    const bodiless = hasNoBody(head.status);
    this.decoder = head.chunked && !bodiless ? new ChunkedDecoder() : undefined;
    this.remaining = bodiless ? 0 : (head.contentLength ?? Number.POSITIVE_INFINITY);
  }

  handle(): UpstreamResponse {
    return {
      head: this.head,
      pipeTo: (sink) => this.pipeTo(sink),
      pause: () => this.socket.pause(),
      resume: () => this.socket.resume(),
    };
  }

  private pipeTo(sink: BodySink): void {
    this.sink = sink;
    if (this.settled) return this.failure ? sink.fail(this.failure) : sink.end(); // cut before the caller was ready
    const first = this.pending;
    this.pending = Buffer.alloc(0);
    if (this.decoder === undefined && this.remaining === 0) return this.finish(first.length === 0);
    if (first.length > 0) this.onBytes(first);
    if (!this.settled) this.socket.resume();
  }

  onBytes(bytes: Buffer): void {
    const sink = this.sink;
    if (sink === undefined || this.settled) return;
    if (this.decoder) {
      let end: number;
      try {
        end = this.decoder.feed(bytes, (payload) => sink.data(payload));
      } catch (error) {
        return this.cut(error as MalformedResponseError);
      }
      if (end !== -1) this.finish(end === bytes.length);
      return;
    }
    const take = Math.min(this.remaining, bytes.length);
    if (take > 0) sink.data(take === bytes.length ? bytes : bytes.subarray(0, take));
    this.remaining -= take;
    if (this.remaining === 0) this.finish(take === bytes.length);
  }

  /** Ollama's side of the connection ended. */
  onEnd(): void {
    if (this.settled) return;
    if (this.decoder === undefined && this.head.contentLength === undefined) return this.finish(false); // the close was the framing
    this.cut(new Error("Ollama closed the connection before the response ended"));
  }

  onAbort(reason: Error): void {
    this.cut(reason);
  }

  private finish(cleanEnd: boolean): void {
    this.settled = true;
    this.detach();
    this.release(cleanEnd && !this.head.closes);
    this.sink?.end();
  }

  private cut(error: Error): void {
    this.settled = true;
    this.failure = error;
    this.detach();
    this.release(false);
    this.sink?.fail(error);
  }
}

function readText(response: UpstreamResponse): Promise<string> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    response.pipeTo({
      data: (payload) => pieces.push(payload),
      end: () => resolve(Buffer.concat(pieces).toString("utf8")),
      fail: reject,
    });
  });
}
