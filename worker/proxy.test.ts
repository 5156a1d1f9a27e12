import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countTokens, startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

// The real `ollama` npm client against the worker, the worker against the fake Ollama:
// the worker must be invisible except for what it adds.

const PARIS = "Paris is the capital of France.";
// About 4 MB of NDJSON at once: more than loopback buffers hold, so a caller that stops
// reading makes the worker stop reading from Ollama, and nothing may be lost when it goes on.
const LONG_ANSWER = Array.from({ length: 40_000 }, (_, i) => `w${i}`).join(" ");

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;
let client: Ollama;

beforeAll(async () => {
  ollama = await startFakeOllama({
    version: "0.12.6",
    models: {
      "llama3.2:3b": { answer: PARIS, decodeTokensPerSecond: 200 },
      "qwen2.5:7b": {},
      "broken:1b": { fault: { kind: "error-mid-stream", afterTokens: 2, message: "CUDA error: out of memory" } },
      "cut:1b": { fault: { kind: "cut", afterTokens: 2 } },
      "long:1b": { answer: LONG_ANSWER },
    },
  });
  worker = await startWorker(ollama.url);
  client = new Ollama({ host: worker.url });
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

describe("the worker speaks Ollama's API", () => {
  it("streams a chat through, chunk by chunk, ending with Ollama's final counts", async () => {
    const arrivals: number[] = [];
    let text = "";
    let final: Awaited<ReturnType<typeof client.chat>> | undefined;
    const stream = await client.chat({
      model: "llama3.2:3b",
      messages: [{ role: "user", content: "What is the capital of France?" }],
      stream: true,
      options: { num_ctx: 2048, num_predict: 64 },
    });
    for await (const part of stream) {
      arrivals.push(performance.now());
      text += part.message.content;
      if (part.done) final = part;
    }
    expect(text).toBe(PARIS);
    // 7 tokens at 200 tok/s arrive over ~30 ms: several reads, not one buffered blob.
    expect(arrivals.length).toBeGreaterThan(3);
    expect(final).toMatchObject({ done: true, done_reason: "stop", eval_count: countTokens(PARIS) });
    expect(final?.prompt_eval_count).toBeGreaterThan(0);
    expect(final?.eval_duration).toBeGreaterThan(1_000_000); // nanoseconds
    const seen = ollama.requests.at(-1);
    expect(seen).toMatchObject({ path: "/api/chat", model: "llama3.2:3b", completed: true, aborted: false });
    expect(seen?.options).toMatchObject({ num_ctx: 2048, num_predict: 64 });
  });

  it("answers an unstreamed generate as one JSON object", async () => {
    const answer = await client.generate({ model: "qwen2.5:7b", prompt: "Say hi", stream: false });
    expect(answer.done).toBe(true);
    expect(answer.response).toMatch(/\w/);
    expect(answer.eval_count).toBeGreaterThan(0);
  });

  it("passes structured output (format) through", async () => {
    const format = { type: "object", properties: { best: { type: "string", enum: ["A", "B"] } }, required: ["best"] };
    const answer = await client.chat({ model: "qwen2.5:7b", messages: [{ role: "user", content: "Rank" }], format, stream: false });
    expect(["A", "B"]).toContain(JSON.parse(answer.message.content).best);
    expect(ollama.requests.at(-1)?.format).toEqual(format);
  });

  it("lists, shows and reports versions and running models", async () => {
    const tags = await client.list();
    expect(tags.models.map((model) => model.name).sort()).toEqual(["broken:1b", "cut:1b", "llama3.2:3b", "long:1b", "qwen2.5:7b"]);
    const shown = await client.show({ model: "llama3.2:3b" });
    expect(shown.details.family).toBeTruthy();
    expect(await client.version()).toEqual({ version: "0.12.6" });
    const running = await client.ps();
    expect(running.models.map((model) => model.name)).toContain("llama3.2:3b");
  });

  it("passes Ollama's own errors through with their status and message", async () => {
    const error = await client.chat({ model: "missing:7b", messages: [], stream: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResponseError", status_code: 404, error: 'model "missing:7b" not found, try pulling it first' });
    const shown = await client.show({ model: "missing:7b" }).catch((e: unknown) => e);
    expect(shown).toMatchObject({ status_code: 404 });
  });

  it("passes an error line sent mid-stream through, and logs it", async () => {
    const stream = await client.chat({ model: "broken:1b", messages: [{ role: "user", content: "hi" }], stream: true });
    const error = await (async () => {
      for await (const _part of stream) {
        // drain until the error line
      }
    })().catch((e: unknown) => e);
    expect((error as Error).message).toBe("CUDA error: out of memory");
    await expect.poll(() => worker.logs.text()).toContain('"streamError":"CUDA error: out of memory"');
  });

  it("cuts the caller's stream when Ollama's connection is cut before done", async () => {
    const stream = await client.chat({ model: "cut:1b", messages: [{ role: "user", content: "hi" }], stream: true });
    const error = await (async () => {
      for await (const _part of stream) {
        // drain until the cut
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it("holds a stream for a caller that stops reading, and loses nothing when it reads again", async () => {
    const response = await fetch(`${worker.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: "long:1b", prompt: "Count" }) });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the caller stalls
    const decoder = new TextDecoder();
    let text = decoder.decode(first.value, { stream: true });
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += decoder.decode(part.value, { stream: true });
    const lines = text.trim().split("\n").map((line) => JSON.parse(line) as { response: string; done: boolean });
    expect(lines.map((line) => line.response).join("")).toBe(LONG_ANSWER);
    expect(lines.at(-1)?.done).toBe(true);
    expect(ollama.requests.at(-1)).toMatchObject({ model: "long:1b", completed: true, aborted: false });
  });

  it("logs one line per request with model, status, tokens and durations", async () => {
    await client.generate({ model: "qwen2.5:7b", prompt: "Say hi", stream: false });
    const line = worker.logs
      .entries()
      .filter((entry) => entry.msg === "request" && entry.path === "/api/generate")
      .at(-1);
    expect(line).toMatchObject({ method: "POST", status: "200", model: "qwen2.5:7b" });
    expect(line?.promptTokens).toBeGreaterThan(0);
    expect(line?.completionTokens).toBeGreaterThan(0);
    expect(line?.totalMs).toBeTypeOf("number");
    expect(line?.firstChunkMs).toBeTypeOf("number");
  });
});

describe("when Ollama is not there", () => {
  it("answers 502 naming the URL, and /health still answers", async () => {
    const lonely = await startWorker("http://127.0.0.1:1");
    try {
      const response = await fetch(`${lonely.url}/api/chat`, {
        method: "POST",
        body: JSON.stringify({ model: "llama3.2:3b", messages: [] }),
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({
        error: "Ollama not reachable at http://127.0.0.1:1 (ECONNREFUSED); is `ollama serve` running there?",
      });
      expect((await fetch(`${lonely.url}/health`)).status).toBe(200);
      const tags = await new Ollama({ host: lonely.url }).list().catch((e: unknown) => e);
      expect(tags).toMatchObject({ status_code: 502 });
    } finally {
      await lonely.close();
    }
  });
});
