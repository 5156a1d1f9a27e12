// Every way a call can fail, as the typed error the council acts on, with the server's words.
import { describe, expect, it } from "vitest";
import { LlmBadResponseError, LlmBusyError, LlmTimeoutError, LlmUnreachableError, ModelMissingError } from "./errors.js";
import { createOllamaClient } from "./ollama-client.js";
import { chatRequest, closedPort, collect, rejectionOf, useServers } from "./test-helpers.js";

const servers = useServers();
const signal = () => new AbortController().signal;

async function chatError(baseUrl: string, model = "m", fetchImpl?: typeof fetch): Promise<unknown> {
  const client = createOllamaClient({ baseUrl, fetch: fetchImpl });
  return rejectionOf(collect(client.chat(chatRequest(model), { signal: signal() })));
}

describe("chat errors", () => {
  it("404: ModelMissingError naming the model, the URL and the command to run", async () => {
    const fake = await servers.fake({ models: { other: {} } });

    const error = await chatError(fake.url, "llama3.2:3b");

    expect(error).toBeInstanceOf(ModelMissingError);
    expect(error).toMatchObject({
      kind: "model-missing",
      model: "llama3.2:3b",
      message: `model "llama3.2:3b" not found on ${fake.url}; run \`ollama pull llama3.2:3b\` there`,
    });
  });

  it("503 without Retry-After: LlmBusyError retryable after 1 s, with Ollama's message", async () => {
    const fake = await servers.fake({ models: { m: { fault: { kind: "http-error", status: 503 } } } });

    const error = await chatError(fake.url);

    expect(error).toBeInstanceOf(LlmBusyError);
    expect(error).toMatchObject({ kind: "busy", retryable: true, retryAfterMs: 1000, url: fake.url });
    expect((error as Error).message).toContain("server busy");
  });

  it("503 with Retry-After: waits as long as the server asks", async () => {
    const url = await servers.raw((_request, response) => {
      response.writeHead(503, { "content-type": "application/json", "retry-after": "7" });
      response.end(JSON.stringify({ error: "queue full" }));
    });

    expect(await chatError(url)).toMatchObject({ kind: "busy", retryAfterMs: 7000, message: expect.stringContaining("queue full") });
  });

  it("an error line mid-stream: LlmBadResponseError with the model's error", async () => {
    const fake = await servers.fake({ models: { m: { fault: { kind: "error-mid-stream", afterTokens: 3, message: "CUDA error: out of memory" } } } });
    const client = createOllamaClient({ baseUrl: fake.url });
    const seen: string[] = [];

    const error = await rejectionOf(
      (async () => {
        for await (const part of client.chat(chatRequest("m"), { signal: signal() })) seen.push(part.type);
      })(),
    );

    expect(seen).toEqual(["delta", "delta", "delta"]);
    expect(error).toBeInstanceOf(LlmBadResponseError);
    expect((error as Error).message).toBe(`${fake.url}: CUDA error: out of memory`);
  });

  it("a 500 before any output: LlmBadResponseError with the status and message", async () => {
    const fake = await servers.fake({ models: { m: { fault: { kind: "http-error", status: 500 } } } });

    const error = await chatError(fake.url);

    expect(error).toBeInstanceOf(LlmBadResponseError);
    expect((error as Error).message).toBe(`${fake.url}: HTTP 500: llama runner process has terminated: exit status 2`);
  });

  it("a stream cut before done: LlmBadResponseError, never a silent short answer", async () => {
    const fake = await servers.fake({ models: { m: { fault: { kind: "cut", afterTokens: 2 } } } });

    const error = await chatError(fake.url);

    expect(error).toBeInstanceOf(LlmBadResponseError);
    expect((error as Error).message).toContain("broke off mid-answer");
  });

  it("a stream that ends cleanly without its done line: LlmBadResponseError", async () => {
    const url = await servers.raw((_request, response) => {
      response.writeHead(200, { "content-type": "application/x-ndjson" });
      response.end(`${JSON.stringify({ message: { role: "assistant", content: "Hi" }, done: false })}\n`);
    });

    expect(await chatError(url)).toMatchObject({ kind: "bad-response", message: `${url}: the answer ended without its final done line` });
  });

  it("a line that is not JSON: LlmBadResponseError quoting it", async () => {
    const url = await servers.raw((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>proxy login</html>\n");
    });

    const error = await chatError(url);

    expect(error).toBeInstanceOf(LlmBadResponseError);
    expect((error as Error).message).toContain("<html>proxy login</html>");
  });

  it("nothing listening: LlmUnreachableError naming the URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const error = await chatError(url);

    expect(error).toBeInstanceOf(LlmUnreachableError);
    expect(error).toMatchObject({ kind: "unreachable", url, retryable: true });
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("fetch's own 300 s header limit counts as a timeout, not as an unreachable worker", async () => {
    const headersTimeout: typeof fetch = () =>
      Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }) }));

    const error = await chatError("http://127.0.0.1:9", "slow", headersTimeout);

    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ model: "slow", timeoutMs: 300_000 });
  });
});

describe("metadata errors", () => {
  it("listModels on a closed port: LlmUnreachableError", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    await expect(createOllamaClient({ baseUrl: url }).listModels()).rejects.toBeInstanceOf(LlmUnreachableError);
  });

  it("listModels on something that is not Ollama: LlmBadResponseError", async () => {
    const url = await servers.raw((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html>It works!</html>");
    });

    await expect(createOllamaClient({ baseUrl: url }).listModels()).rejects.toMatchObject({
      kind: "bad-response",
      message: expect.stringContaining("is that URL really Ollama?"),
    });
  });
});
