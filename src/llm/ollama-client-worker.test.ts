// The client against the real worker in front of the fake Ollama: the worker's token,
// allowlist, queue and upstream failures, as the typed errors the council acts on.
import { describe, expect, it } from "vitest";
import { LlmBusyError, LlmRefusedError, LlmUnreachableError } from "./errors.js";
import { createOllamaClient } from "./ollama-client.js";
import { answerOf, chatRequest, closedPort, collect, rejectionOf, useServers } from "./test-helpers.js";

const servers = useServers();
const TOKEN = "a-worker-token-long-enough-0123456789";

async function guardedWorker() {
  const fake = await servers.fake({ models: { "llama3.2:3b": { answer: "Blue light scatters more." }, "qwen2.5:7b": {} } });
  const worker = await servers.worker(fake.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ["llama3.2:3b"] });
  return { fake, worker };
}

describe("through the worker", () => {
  it("sends the bearer token on every request, so chat, tags and version go through", async () => {
    const { worker } = await guardedWorker();
    const client = createOllamaClient({ baseUrl: worker.url, token: TOKEN });

    expect(await answerOf(client, chatRequest("llama3.2:3b"))).toBe("Blue light scatters more.");
    expect(await client.listModels()).toEqual(["llama3.2:3b"]);
    expect(typeof (await client.version())).toBe("string");
    await client.preload("llama3.2:3b", 2048, "5m");
  });

  it("a wrong token: LlmRefusedError 401 with the worker's message and the fix", async () => {
    const { worker } = await guardedWorker();
    const client = createOllamaClient({ baseUrl: worker.url, token: "not-the-token-at-all-0123456789" });

    const error = await rejectionOf(collect(client.chat(chatRequest("llama3.2:3b"), { signal: new AbortController().signal })));

    expect(error).toBeInstanceOf(LlmRefusedError);
    expect(error).toMatchObject({ kind: "refused", status: 401, url: worker.url });
    expect((error as Error).message).toContain("the bearer token does not match this worker's WORKER_TOKEN");
    expect((error as Error).message).toContain("set the same WORKER_TOKEN on the bot and on the worker");
    await expect(client.listModels()).rejects.toMatchObject({ kind: "refused", status: 401 });
  });

  it("no token at all: LlmRefusedError 401", async () => {
    const { worker } = await guardedWorker();
    const client = createOllamaClient({ baseUrl: worker.url });

    await expect(client.preload("llama3.2:3b", 2048, "5m")).rejects.toMatchObject({ kind: "refused", status: 401 });
  });

  it("a model outside WORKER_MODELS: LlmRefusedError 403 naming the allowed models", async () => {
    const { fake, worker } = await guardedWorker();
    const client = createOllamaClient({ baseUrl: worker.url, token: TOKEN });

    const error = await rejectionOf(collect(client.chat(chatRequest("qwen2.5:7b"), { signal: new AbortController().signal })));

    expect(error).toBeInstanceOf(LlmRefusedError);
    expect(error).toMatchObject({ status: 403 });
    expect((error as Error).message).toContain('model "qwen2.5:7b" is not allowed on this worker; allowed models: llama3.2:3b');
    expect(fake.requests.some((r) => r.path === "/api/chat")).toBe(false);
  });

  it("a full queue: LlmBusyError with the worker's Retry-After", async () => {
    const fake = await servers.fake({ models: { slow: { fault: { kind: "hang", afterTokens: 1 } } } });
    const worker = await servers.worker(fake.url, { WORKER_PARALLEL: 1, WORKER_QUEUE: 0 });
    const client = createOllamaClient({ baseUrl: worker.url });
    const holder = new AbortController();
    const holding = client.chat(chatRequest("slow"), { signal: holder.signal })[Symbol.asyncIterator]();
    await holding.next(); // the only slot is taken

    const error = await rejectionOf(collect(client.chat(chatRequest("slow"), { signal: new AbortController().signal })));
    const direct = await fetch(`${worker.url}/api/chat`, { method: "POST", body: JSON.stringify(chatRequest("slow")) });
    await direct.body?.cancel();

    expect(direct.status).toBe(503);
    expect(error).toBeInstanceOf(LlmBusyError);
    expect(error).toMatchObject({ url: worker.url, retryAfterMs: Number(direct.headers.get("retry-after")) * 1000 });
    expect((error as Error).message).toContain('worker busy: 0 requests already wait for model "slow:latest"');
    holder.abort();
    await holding.next().catch(() => undefined);
  });

  it("a worker whose Ollama is down: LlmUnreachableError quoting the worker, so a router moves on", async () => {
    const worker = await servers.worker(`http://127.0.0.1:${await closedPort()}`);
    const client = createOllamaClient({ baseUrl: worker.url });

    const error = await rejectionOf(collect(client.chat(chatRequest("llama3.2:3b"), { signal: new AbortController().signal })));

    expect(error).toBeInstanceOf(LlmUnreachableError);
    expect((error as Error).message).toMatch(new RegExp(`^${worker.url} answered 502: Ollama not reachable at http://127\\.0\\.0\\.1:\\d+`));
  });
});
