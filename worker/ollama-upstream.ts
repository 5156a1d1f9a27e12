import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { OllamaBadResponseError, OllamaUnreachableError } from "./errors.js";

// node:http rather than fetch: the proxy wants the raw response stream to pipe through
// untouched, a keep-alive pool shared by every request, and no 300 s header timeout (Ollama
// sends headers only with the first token, after loading and prompt evaluation).

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

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

export function createOllamaUpstream(baseUrl: string) {
  const transport = baseUrl.startsWith("https:") ? https : http;
  const agent = new transport.Agent({ keepAlive: true });

  /** Resolves with the response as soon as its headers arrive; the body is left to stream. */
  function send({ method, path, body, signal }: UpstreamRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { accept: "application/x-ndjson, application/json" };
      if (body !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = Buffer.byteLength(body);
      }
      const request = transport.request(`${baseUrl}${path}`, { method, agent, headers, signal }, resolve);
      request.on("socket", (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => request.destroy(Object.assign(new Error("connect timeout"), { code: "ETIMEDOUT" })), CONNECT_TIMEOUT_MS);
        socket.once("connect", () => clearTimeout(timer));
        socket.once("close", () => clearTimeout(timer));
      });
      request.on("error", (error) => reject(signal?.aborted ? signal.reason : new OllamaUnreachableError(baseUrl, error)));
      request.end(body);
    });
  }

  async function json<T = unknown>(method: "GET" | "POST", path: string, payload?: unknown): Promise<JsonResponse<T>> {
    const signal = AbortSignal.timeout(METADATA_TIMEOUT_MS);
    let text: string;
    let status: number;
    try {
      const response = await send({ method, path, body: payload === undefined ? undefined : JSON.stringify(payload), signal });
      status = response.statusCode ?? 502;
      text = "";
      response.setEncoding("utf8");
      for await (const chunk of response) text += String(chunk);
    } catch (error) {
      throw error instanceof OllamaUnreachableError ? error : new OllamaUnreachableError(baseUrl, error);
    }
    try {
      return { status, body: (text ? JSON.parse(text) : {}) as T };
    } catch {
      throw new OllamaBadResponseError(baseUrl, `${method} ${path}`, status);
    }
  }

  return { url: baseUrl, send, json, close: () => agent.destroy() };
}

export type OllamaUpstream = ReturnType<typeof createOllamaUpstream>;
