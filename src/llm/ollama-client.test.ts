// The client against the fake Ollama on a real socket: what it sends, and what it makes of
// the stream that comes back.
import { describe, expect, it } from "vitest";
import { countTokens } from "../../test-support/fake-ollama/index.js";
import { createOllamaClient } from "./ollama-client.js";
import { chatRequest, collect, useServers } from "./test-helpers.js";

const servers = useServers();
const ANSWER = "Rayleigh scattering favours short wavelengths, so the sky looks blue.";
const never = () => new AbortController().signal;

describe("chat", () => {
  it("yields one delta per content chunk and ends with the usage in milliseconds", async () => {
    const fake = await servers.fake({ models: { m: { answer: ANSWER, loadMs: 50 } } });
    const client = createOllamaClient({ baseUrl: fake.url });

    const parts = await collect(client.chat(chatRequest("m"), { signal: never() }));

    const deltas = parts.filter((part) => part.type === "delta");
    expect(deltas.map((part) => part.text).join("")).toBe(ANSWER);
    expect(deltas).toHaveLength(countTokens(ANSWER));
    expect(parts.at(-1)?.type).toBe("done");
    expect(parts.filter((part) => part.type === "done")).toHaveLength(1);

    const record = fake.requests.find((r) => r.path === "/api/chat");
    const done = parts.at(-1);
    if (done?.type !== "done") throw new Error("no done part");
    expect(done.usage).toMatchObject({
      promptTokens: record?.promptTokens,
      completionTokens: countTokens(ANSWER),
      doneReason: "stop",
    });
    // The fake spent at least loadMs loading; nanoseconds left unconverted would be a million times more.
    expect(done.usage.loadMs).toBeGreaterThanOrEqual(50);
    expect(done.usage.loadMs).toBeLessThan(60_000);
    expect(done.usage.totalMs).toBeGreaterThanOrEqual(done.usage.loadMs);
    expect(done.usage.promptEvalMs).toBeGreaterThan(0);
    expect(done.usage.evalMs).toBeGreaterThan(0);
  });

  it("sends stream, options, format and keep_alive, and never think", async () => {
    const fake = await servers.fake({ models: { m: {} } });
    const client = createOllamaClient({ baseUrl: fake.url });
    const schema = { type: "object", properties: { ranking: { type: "array", items: { type: "string" } } }, required: ["ranking"] };

    const parts = await collect(
      client.chat(chatRequest("m", "rank them", { options: { num_ctx: 3072, num_predict: 40, temperature: 0, seed: 7 }, format: schema, keepAlive: "30m" }), {
        signal: never(),
      }),
    );

    const record = fake.requests.find((r) => r.path === "/api/chat");
    expect(record).toMatchObject({ stream: true, numCtx: 3072, format: schema, keepAlive: "30m" });
    expect(record?.options).toEqual({ num_ctx: 3072, num_predict: 40, temperature: 0, seed: 7 });
    expect(record?.body).not.toHaveProperty("think");
    // The fake answers a schema with a valid instance: the format reached it.
    const text = parts.map((part) => (part.type === "delta" ? part.text : "")).join("");
    expect(JSON.parse(text)).toHaveProperty("ranking");
  });

  it("reports done_reason length when num_predict cut the answer", async () => {
    const fake = await servers.fake({ models: { m: { answer: ANSWER } } });
    const client = createOllamaClient({ baseUrl: fake.url });

    const parts = await collect(client.chat(chatRequest("m", "go", { options: { num_ctx: 2048, num_predict: 3 } }), { signal: never() }));

    expect(parts.filter((part) => part.type === "delta")).toHaveLength(3);
    expect(parts.at(-1)).toMatchObject({ type: "done", usage: { completionTokens: 3, doneReason: "length" } });
  });

  it("leaves thinking out of the answer", async () => {
    const fake = await servers.fake({ models: { thinker: { answer: "42", thinking: "Let me think about it." } } });
    const client = createOllamaClient({ baseUrl: fake.url });

    const parts = await collect(client.chat(chatRequest("thinker"), { signal: never() }));

    expect(parts.filter((part) => part.type === "delta").map((part) => part.text)).toEqual(["42"]);
  });
});

describe("preload", () => {
  it("loads the model with its num_ctx and keep_alive without generating", async () => {
    const fake = await servers.fake({ models: { m: { loadMs: 20 } } });
    const client = createOllamaClient({ baseUrl: fake.url });

    await client.preload("m", 8192, "1h");

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ path: "/api/chat", numCtx: 8192, keepAlive: "1h", doneReason: "load", loaded: true });
    expect(fake.loads("m")).toBe(1);
  });

  it("fails as model-missing when the model is not pulled", async () => {
    const fake = await servers.fake({ models: {} });
    const client = createOllamaClient({ baseUrl: fake.url });

    await expect(client.preload("ghost", 2048, "5m")).rejects.toMatchObject({ kind: "model-missing", model: "ghost" });
  });
});

describe("metadata", () => {
  it("lists the pulled models by their full names and reads the version", async () => {
    const fake = await servers.fake({ models: { "llama3.2:3b": {}, qwen: {} }, version: "0.12.9" });
    const client = createOllamaClient({ baseUrl: `${fake.url}/` });

    expect((await client.listModels()).sort()).toEqual(["llama3.2:3b", "qwen:latest"]);
    expect(await client.version()).toBe("0.12.9");
    expect(client.baseUrl).toBe(fake.url);
  });
});
