import type { ConnectionOptions } from "node:tls";
import { type Dispatcher, Pool } from "undici";
import { OllamaBadResponseError, WorkerHttpError } from "./errors.js";
import { failureBeforeHead, failureMidBody, InvalidResponseError, isConnectionLoss } from "./upstream-failure.js";

// The worker's client for the one server it talks to, on undici (the HTTP engine Node itself
// ships): kept-alive connections in a pool, and a dispatch handler that hands each chunk of
// the body to the caller as it arrives, with backpressure both ways. undici refuses what is not
// HTTP/1.1 that can be passed on safely (conflicting framing, a status below 100, control bytes
// in a header) and discards that connection, so a malformed answer never leaks into the next.

const CONNECT_TIMEOUT_MS = 5_000;
// Metadata calls (tags, ps, show, version) are answered from memory by Ollama; if one takes
// this long, Ollama is wedged and the caller is better told so.
const METADATA_TIMEOUT_MS = 10_000;
// /api/show can carry a model's template, licence and parameters; far more is not Ollama.
const METADATA_MAX_BYTES = 16 * 1024 * 1024;
// Ollama never closes an idle connection itself; a council's stages are seconds apart, so
// keeping them a minute spares a reconnect per call without hoarding sockets.
const IDLE_CONNECTION_MS = 60_000;

export interface UpstreamRequest {
  method: "GET" | "POST";
  path: string;
  /** Serialised by the worker from a validated value, never the caller's bytes. */
  body?: string;
  signal?: AbortSignal;
}

/** Where a response body goes, piece by piece. After end() or fail(), nothing more is called. */
export interface BodySink {
  data(payload: Buffer): void;
  end(): void;
  /** The body stopped short: Ollama's connection ended, its bytes turned malformed, or the request was aborted. */
  fail(error: Error): void;
}

export interface UpstreamResponse {
  status: number;
  /** Ollama said application/x-ndjson: a stream of JSON lines rather than one JSON value. */
  streamed: boolean;
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

export function createOllamaUpstream(baseUrl: string, options: { tls?: ConnectionOptions } = {}) {
  const target = new URL(baseUrl);
  const pathPrefix = target.pathname.replace(/\/+$/, "");
  const pool = new Pool(target.origin, {
    connect: { timeout: CONNECT_TIMEOUT_MS, ...options.tls },
    keepAliveTimeout: IDLE_CONNECTION_MS,
    keepAliveMaxTimeout: IDLE_CONNECTION_MS,
  });

  /** Resolves with the response as soon as its head arrives; the body waits for pipeTo(). */
  function open(request: UpstreamRequest): Promise<UpstreamResponse> {
    return send(request).catch((error: unknown) => {
      // A kept-alive connection that Ollama closed as the request went out fails before any
      // answer; the request is sent once more, on a new connection.
      if (error instanceof ConnectionLostBeforeHead && !request.signal?.aborted) return send(request).catch(asCallerError);
      return asCallerError(error);
    });
  }

  function send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { signal } = request;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const relay = new ResponseRelay(baseUrl, `${request.method} ${request.path}`, resolve, reject, signal);
      pool.dispatch(
        {
          method: request.method,
          path: `${pathPrefix}${request.path}`,
          headers: request.body === undefined ? {} : { "content-type": "application/json" },
          body: request.body ?? null,
          // Ollama sends its head only with the first token, after loading the model and
          // reading the prompt, and a generation may pause; the bot keeps its own deadlines,
          // and metadata calls carry a signal that times them out.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        relay,
      );
    });
  }

  async function json<T = unknown>(method: "GET" | "POST", path: string, payload?: unknown): Promise<JsonResponse<T>> {
    const call = `${method} ${path}`;
    const signal = AbortSignal.timeout(METADATA_TIMEOUT_MS);
    const request = { method, path, body: payload === undefined ? undefined : JSON.stringify(payload), signal };
    let response: UpstreamResponse;
    let text: string;
    try {
      response = await open(request);
      text = await readText(response, METADATA_MAX_BYTES);
    } catch (error) {
      if (error instanceof WorkerHttpError) throw error;
      if (signal.aborted) throw new OllamaBadResponseError(baseUrl, call, `nothing within ${METADATA_TIMEOUT_MS / 1000} s`);
      throw new OllamaBadResponseError(baseUrl, call, (error as Error).message);
    }
    try {
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
    } catch {
      throw new OllamaBadResponseError(baseUrl, call, `HTTP ${response.status} and a body that is not JSON`);
    }
  }

  function close(): Promise<void> {
    return pool.destroy();
  }

  return { url: baseUrl, open, json, close };
}

export type OllamaUpstream = ReturnType<typeof createOllamaUpstream>;

function asCallerError(error: unknown): never {
  throw error instanceof ConnectionLostBeforeHead ? error.asCallerError : error;
}

/** A reset before the head: retried once by open(), else the caller's 502. */
class ConnectionLostBeforeHead extends Error {
  override readonly name = "ConnectionLostBeforeHead";
  constructor(readonly asCallerError: WorkerHttpError) {
    super(asCallerError.message);
  }
}

const NDJSON = /^\s*application\/x-ndjson\s*(;|$)/i;

/**
 * One exchange as undici reports it: the head settles the promise that open() returned, the body
 * goes to the sink once the caller is ready for it, and an abort from the caller reaches undici,
 * which closes the connection (that is what makes Ollama stop generating).
 */
class ResponseRelay implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private sink: BodySink | undefined;
  private early: Buffer[] = [];
  private headArrived = false;
  private outcome: { error?: Error } | undefined;

  constructor(
    private readonly url: string,
    private readonly call: string,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  private readonly onAbort = () => this.controller?.abort(this.signal?.reason);

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal?.aborted) controller.abort(this.signal.reason);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void {
    if (status < 200) return; // 1xx: the final head follows
    if (status > 599) return controller.abort(new InvalidResponseError(`status ${status}`));
    this.headArrived = true;
    controller.pause(); // until the caller is ready for the body
    const contentType = headers["content-type"];
    this.resolve({
      status,
      streamed: typeof contentType === "string" && NDJSON.test(contentType),
      pipeTo: (sink) => this.pipeTo(sink),
      pause: () => controller.pause(),
      resume: () => controller.resume(),
    });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.sink) this.sink.data(chunk);
    else this.early.push(chunk);
  }

  onResponseEnd(): void {
    this.settle({});
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const aborted = this.signal?.aborted === true && error === this.signal.reason;
    if (this.headArrived) return this.settle({ error: aborted ? error : failureMidBody(this.url, error) });
    this.signal?.removeEventListener("abort", this.onAbort);
    if (aborted) return this.reject(error);
    const callerError = failureBeforeHead(this.url, this.call, error);
    this.reject(isConnectionLoss(error) ? new ConnectionLostBeforeHead(callerError) : callerError);
  }

  private pipeTo(sink: BodySink): void {
    this.sink = sink;
    for (const chunk of this.early.splice(0)) sink.data(chunk);
    if (this.outcome) return this.deliver(this.outcome);
    this.controller?.resume();
  }

  private settle(outcome: { error?: Error }): void {
    this.outcome = outcome;
    this.signal?.removeEventListener("abort", this.onAbort);
    if (this.sink) this.deliver(outcome);
  }

  private deliver({ error }: { error?: Error }): void {
    const sink = this.sink;
    this.sink = undefined; // nothing more is called after end() or fail()
    if (error) sink?.fail(error);
    else sink?.end();
  }
}

/** The whole body as text, refused past `limit` bytes. */
function readText(response: UpstreamResponse, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let size = 0;
    response.pipeTo({
      data: (payload) => {
        size += payload.length;
        if (size <= limit) pieces.push(payload);
      },
      end: () => (size > limit ? reject(new Error(`a body over ${limit} bytes`)) : resolve(Buffer.concat(pieces).toString("utf8"))),
      fail: reject,
    });
  });
}
