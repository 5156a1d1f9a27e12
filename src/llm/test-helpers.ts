// Shared by the llm tests: servers started per test and closed after it, a URL where nothing
// listens, and small readers of a chat stream.
import http from "node:http";
import net from "node:net";
import { afterEach } from "vitest";
import { startFakeOllama, type FakeOllamaOptions, type FakeOllamaServer } from "../../test-support/fake-ollama/index.js";
import { closeServer } from "../../test-support/fake-kit/close-server.js";
import { startWorker } from "../../test-support/start-worker.js";
import type { ChatPart, ChatRequest, LlmClient } from "./port.js";

type Closable = { close(): Promise<unknown> };

/** Starters for fakes, workers and raw servers that are all closed after each test. */
export function useServers() {
  const open: Closable[] = [];
  afterEach(async () => {
    // Last started first: a worker closes before the fake Ollama behind it.
    for (const server of open.splice(0).reverse()) await server.close();
  });
  const track = <T extends Closable>(server: T): T => {
    open.push(server);
    return server;
  };
  return {
    fake: async (options?: FakeOllamaOptions): Promise<FakeOllamaServer> => track(await startFakeOllama(options)),
    worker: async (...args: Parameters<typeof startWorker>) => track(await startWorker(...args)),
    /** A bare HTTP server, for answers neither Ollama nor the worker would give. */
    raw: async (handler: http.RequestListener) => {
      const server = http.createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as net.AddressInfo;
      track({
        close: () => closeServer(server),
      });
      return `http://127.0.0.1:${port}`;
    },
  };
}

/** A port that was free a moment ago: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function chatRequest(model: string, content = "Why is the sky blue?", extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: "user", content }], options: { num_ctx: 2048, num_predict: 256 }, ...extra };
}

/** Every part of a call, in order. */
export async function collect(parts: AsyncIterable<ChatPart>): Promise<ChatPart[]> {
  const all: ChatPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

/** The answer text of a whole call. */
export async function answerOf(client: LlmClient, request: ChatRequest, signal = new AbortController().signal): Promise<string> {
  const parts = await collect(client.chat(request, { signal }));
  return parts.map((part) => (part.type === "delta" ? part.text : "")).join("");
}

/** What a promise rejected with (fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, and it succeeded");
}
