import { linkCallSignal, type CallSignal } from "./call-signal.js";
import { LlmBadResponseError, LlmUnreachableError } from "./errors.js";
import { bodyFailure, fetchFailure, statusFailure } from "./http-failures.js";
import { ndjsonLines } from "./ndjson-lines.js";
import { chatBody, preloadBody, readChatLine } from "./ollama-wire.js";
import type { CallOptions, CallUsage, ChatPart, ChatRequest, LlmClient } from "./port.js";

// Ollama's HTTP protocol over fetch, for a worker and a plain Ollama alike (the worker speaks
// the same API plus a bearer token). Every chat streams: Ollama sends headers only with the
// first token, and Node's fetch gives up after 300 s without headers.

/** A cold load normally takes seconds, rarely a minute; this stays below fetch's 300 s header limit. */
export const PRELOAD_TIMEOUT_MS = 180_000;
// Tags and version are answered from memory: a server this slow to list them is wedged.
const METADATA_TIMEOUT_MS = 10_000;

export interface OllamaClientOptions {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` on every request (the worker's WORKER_TOKEN). */
  token?: string;
  fetch?: typeof globalThis.fetch;
  /** The settings that name this URL (WORKER_URLS, CHAIRMAN_URL), so that "nothing answers" says which to correct. */
  settings?: readonly string[];
}

export interface OllamaClient extends LlmClient {
  readonly baseUrl: string;
  /** Names of the pulled models as /api/tags lists them ("x:latest"). */
  listModels(signal?: AbortSignal): Promise<string[]>;
  /** Ollama's version, from /api/version. */
  version(signal?: AbortSignal): Promise<string>;
  /** Any small JSON document the server offers (/api/ps, a worker's /health/system), bounded in time. */
  getJson(path: string, signal?: AbortSignal): Promise<unknown>;
  /** As the port's preload; `signal` lets a router cancel it. */
  preload(model: string, numCtx: number, keepAlive: string | number, signal?: AbortSignal): Promise<void>;
  /**
   * Asks whether the server would run the model (POST /api/show): resolves if so, else rejects
   * with what it answered, e.g. ModelMissingError (not pulled) or LlmRefusedError (a worker's
   * WORKER_MODELS leaves it out). Bounded in time like the other metadata calls.
   */
  checkModel(model: string, signal?: AbortSignal): Promise<void>;
  /** As checkModel, resolving with what /api/show says of the model (details, model_info, parameters). */
  showModel(model: string, signal?: AbortSignal): Promise<unknown>;
  /** As the port's capabilities, asked of this server each time (the router keeps the answers). */
  capabilities(model: string, signal?: AbortSignal): Promise<string[]>;
}

export function createOllamaClient(options: OllamaClientOptions): OllamaClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;

  /** One request; fails with a typed error unless the status is 2xx. */
  async function request(path: string, init: { body?: string; signal: AbortSignal; model?: string }): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(baseUrl + path, {
        method: init.body === undefined ? "GET" : "POST",
        headers,
        body: init.body,
        signal: init.signal,
      });
    } catch (error) {
      throw init.signal.aborted ? error : fetchFailure(baseUrl, error, init.model, options.settings);
    }
    if (response.ok) return response;
    const body = await readText(response, init.signal);
    throw statusFailure({ url: baseUrl, model: init.model, status: response.status, retryAfter: response.headers.get("retry-after"), body });
  }

  async function readText(response: Response, signal: AbortSignal): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw signal.aborted ? error : bodyFailure(baseUrl, error);
    }
  }

  async function* chat(chatRequest: ChatRequest, callOptions: CallOptions): AsyncGenerator<ChatPart> {
    const call = linkCallSignal(chatRequest.model, callOptions);
    try {
      const response = await request("/api/chat", { body: chatBody(chatRequest), signal: call.signal, model: chatRequest.model });
      let usage: CallUsage | undefined;
      for await (const line of streamLines(response, call)) {
        const read = readChatLine(line);
        switch (read.kind) {
          case "error":
            throw new LlmBadResponseError(baseUrl, read.message);
          case "not-ollama":
            throw new LlmBadResponseError(baseUrl, `a line that is not Ollama's JSON: ${read.line.slice(0, 200)}`);
          case "done":
            usage = read.usage;
            break;
          case "content":
            if (read.text !== "") yield { type: "delta", text: read.text };
        }
      }
      // The done line is the last one Ollama writes; reading on to the end of the body lets the
      // connection be reused instead of being cut when the consumer stops after "done".
      if (!usage) throw new LlmBadResponseError(baseUrl, "the answer ended without its final done line");
      yield { type: "done", usage };
    } catch (error) {
      throw call.failure(error);
    } finally {
      // Also reached when the consumer breaks out of its loop: that cancels the request.
      call.end();
    }
  }

  async function* streamLines(response: Response, call: CallSignal): AsyncGenerator<string> {
    if (!response.body) throw new LlmBadResponseError(baseUrl, "an answer without a body");
    try {
      yield* ndjsonLines(response.body);
    } catch (error) {
      throw call.signal.aborted ? error : bodyFailure(baseUrl, error);
    }
  }

  async function preload(model: string, numCtx: number, keepAlive: string | number, signal?: AbortSignal): Promise<void> {
    const call = linkCallSignal(model, { signal, timeoutMs: PRELOAD_TIMEOUT_MS });
    try {
      const response = await request("/api/chat", { body: preloadBody(model, numCtx, keepAlive), signal: call.signal, model });
      // Ollama answers a load with one JSON object; its error arrives as a status, handled above.
      await readText(response, call.signal);
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.end();
    }
  }

  /** The server took the connection but did not answer in time: it runs, so "start it" would mislead. */
  function stuck(request: string): LlmUnreachableError {
    const detail = `no answer to ${request} within ${METADATA_TIMEOUT_MS / 1000} s`;
    return new LlmUnreachableError(baseUrl, detail, `${baseUrl} took the connection but gave ${detail}; is it overloaded or stuck?`);
  }

  /** GET a small JSON document, bounded by METADATA_TIMEOUT_MS. */
  async function getJson(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = AbortSignal.timeout(METADATA_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await request(path, { signal: combined });
      const text = await readText(response, combined);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LlmBadResponseError(baseUrl, `GET ${path} answered something that is not JSON; is that URL really Ollama?`);
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw stuck(`GET ${path}`);
      }
      throw error;
    }
  }

  async function showModel(model: string, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(METADATA_TIMEOUT_MS);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await request("/api/show", { body: JSON.stringify({ model }), signal: combined, model });
      const text = await readText(response, combined);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LlmBadResponseError(baseUrl, "POST /api/show answered something that is not JSON; is that URL really Ollama?");
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw stuck("POST /api/show");
      throw error;
    }
  }

  async function listModels(signal?: AbortSignal): Promise<string[]> {
    const { models } = fieldsOf(await getJson("/api/tags", signal));
    if (!Array.isArray(models)) throw new LlmBadResponseError(baseUrl, "GET /api/tags answered without a models list");
    return models.flatMap((entry: unknown) => {
      const { model, name } = fieldsOf(entry);
      const found = model ?? name;
      return typeof found === "string" ? [found] : [];
    });
  }

  async function version(signal?: AbortSignal): Promise<string> {
    const found = fieldsOf(await getJson("/api/version", signal)).version;
    if (typeof found !== "string") throw new LlmBadResponseError(baseUrl, "GET /api/version answered without a version");
    return found;
  }

  async function checkModel(model: string, signal?: AbortSignal): Promise<void> {
    await showModel(model, signal);
  }

  async function capabilities(model: string, signal?: AbortSignal): Promise<string[]> {
    const listed = fieldsOf(await showModel(model, signal)).capabilities;
    // Ollama lists them since 0.6.4; an older one does not say, so nothing is known to be there.
    if (listed === undefined) return [];
    if (!Array.isArray(listed) || !listed.every((name) => typeof name === "string")) {
      throw new LlmBadResponseError(baseUrl, "POST /api/show answered capabilities that are not a list of names");
    }
    return listed;
  }

  return { baseUrl, chat, preload, listModels, version, getJson, checkModel, showModel, capabilities };
}

/** The fields of a parsed JSON value, none when it is not an object. */
function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
