// Each scripted fault, as the wire shows it and as the ollama client surfaces it.
import { Ollama } from "ollama";
import { describe, expect, it } from "vitest";
import { defaultAnswer } from "./answer.js";
import { chatBody, post, readNdjson, useFake } from "./test-helpers.js";

const start = useFake();
const ask = { messages: [{ role: "user", content: "go" }] };

describe("http-error", () => {
  it("answers with the status and {error}, which the client throws with status_code", async () => {
    const fake = await start({ models: { m: { fault: { kind: "http-error", status: 500, message: "boom" } } } });
    const raw = await post(fake.url, "/api/chat", chatBody("m"));
    expect(raw.status).toBe(500);
    expect(await raw.json()).toEqual({ error: "boom" });
    const error = await new Ollama({ host: fake.url }).chat({ model: "m", ...ask, stream: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ResponseError", status_code: 500, error: "boom" });
    expect(fake.requests.map((r) => r.fault)).toEqual(["http-error", "http-error"]);
    expect(fake.inFlight()).toBe(0);
  });

  it("uses Ollama's busy text for 503", async () => {
    const fake = await start({ models: { m: { fault: { kind: "http-error", status: 503 } } } });
    const raw = await post(fake.url, "/api/generate", { model: "m", prompt: "x" });
    expect(raw.status).toBe(503);
    expect(await raw.json()).toEqual({ error: "server busy, please try again.  maximum pending requests exceeded" });
  });

  it("applies to the first `times` requests only, then the model behaves", async () => {
    const fake = await start({ models: { m: { fault: { kind: "http-error", status: 500, times: 2 } }, other: {} } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }))).status);
    expect(statuses).toEqual([500, 500, 200]);
    // setModel replaces the script and starts counting again.
    fake.setModel("m", { fault: { kind: "http-error", status: 502, times: 1 } });
    expect((await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }))).status).toBe(502);
    expect((await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }))).status).toBe(200);
  });
});

describe("error-mid-stream", () => {
  it("sends 200, the first tokens, then an NDJSON error line and ends", async () => {
    const fake = await start({ models: { m: { fault: { kind: "error-mid-stream", afterTokens: 3, message: "runner crashed" } } } });
    const raw = await post(fake.url, "/api/chat", chatBody("m"));
    expect(raw.status).toBe(200);
    const lines = await readNdjson(raw);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).every((l) => l.done === false)).toBe(true);
    expect(lines[3]).toEqual({ error: "runner crashed" });
    expect(fake.requests[0]).toMatchObject({ status: 200, completed: true, completionTokens: 3, fault: "error-mid-stream" });
    expect(fake.requests[0]?.doneReason).toBeUndefined();
  });

  it("makes the ollama client throw the message after the tokens it got", async () => {
    const fake = await start({ models: { m: { fault: { kind: "error-mid-stream", afterTokens: 2 } } } });
    const stream = await new Ollama({ host: fake.url }).chat({ model: "m", ...ask, stream: true });
    const got: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) got.push(chunk.message.content);
    })().catch((e: unknown) => e);
    expect(got).toHaveLength(2);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("an error was encountered while running the model: unexpected EOF");
  });

  it("answers 500 JSON when nothing was written yet, or when the request was not streamed", async () => {
    const fake = await start({ models: { early: { fault: { kind: "error-mid-stream", afterTokens: 0, message: "early" } }, late: { fault: { kind: "error-mid-stream", afterTokens: 5, message: "late" } } } });
    const early = await post(fake.url, "/api/chat", chatBody("early"));
    expect(early.status).toBe(500);
    expect(early.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await early.json()).toEqual({ error: "early" });
    const unstreamed = await new Ollama({ host: fake.url }).chat({ model: "late", ...ask }).catch((e: unknown) => e);
    expect(unstreamed).toMatchObject({ status_code: 500, error: "late" });
  });
});

describe("hang", () => {
  it("sends no headers at all and holds its slot until the client goes away", async () => {
    const fake = await start({ models: { m: { fault: { kind: "hang" } } } });
    const client = new AbortController();
    const response = post(fake.url, "/api/chat", chatBody("m"), { signal: client.signal });
    const record = await fake.waitForRequest((r) => r.admittedAt !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(record.firstByteAt).toBeUndefined();
    expect(fake.inFlight("m")).toBe(1);
    client.abort();
    await expect(response).rejects.toThrow();
    const settled = await fake.waitForSettled(record.id);
    expect(settled).toMatchObject({ aborted: true, completed: false, fault: "hang" });
    expect(settled.status).toBeUndefined();
    expect(fake.inFlight()).toBe(0);
  });

  it("with afterTokens, streams that many tokens first and then goes quiet", async () => {
    const fake = await start({ models: { m: { fault: { kind: "hang", afterTokens: 2 } } } });
    const stream = await new Ollama({ host: fake.url }).chat({ model: "m", ...ask, stream: true });
    const got: string[] = [];
    const reading = (async () => {
      for await (const chunk of stream) got.push(chunk.message.content);
    })().catch((e: unknown) => e);
    const record = await fake.waitForRequest((r) => r.completionTokens === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toHaveLength(2);
    expect(record.finishedAt).toBeUndefined();
    stream.abort();
    expect(await reading).toMatchObject({ name: "AbortError" });
    expect((await fake.waitForSettled(record.id)).aborted).toBe(true);
  });
});

describe("cut", () => {
  it("destroys the socket before the done chunk; the client sees the stream fail", async () => {
    const fake = await start({ models: { m: { fault: { kind: "cut", afterTokens: 3 } } } });
    const stream = await new Ollama({ host: fake.url }).chat({ model: "m", ...ask, stream: true });
    const got: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) got.push(chunk.message.content);
    })().catch((e: unknown) => e);
    expect(got).toHaveLength(3);
    expect(error).toBeInstanceOf(Error);
    const [record] = fake.requests;
    expect(record).toMatchObject({ status: 200, completed: false, aborted: false, completionTokens: 3, fault: "cut" });
    expect(record?.finishedAt).toBeDefined();
    expect(fake.inFlight()).toBe(0);
  });

  it("with afterTokens 0, drops the connection before any header", async () => {
    const fake = await start({ models: { m: { fault: { kind: "cut", afterTokens: 0, times: 1 } } } });
    await expect(post(fake.url, "/api/chat", chatBody("m"))).rejects.toThrow(/fetch failed/);
    // times: 1 -> the retry succeeds.
    expect((await post(fake.url, "/api/chat", chatBody("m", "x", { stream: false }))).status).toBe(200);
  });
});

describe("non-json", () => {
  it("answers prose although a format was asked for", async () => {
    const fake = await start({ models: { m: { fault: { kind: "non-json", times: 1 }, answer: '{"ok":true}' } } });
    const ollama = new Ollama({ host: fake.url });
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const prose = await ollama.chat({ model: "m", ...ask, format: schema });
    expect(prose.message.content).toBe(defaultAnswer("m"));
    expect(() => JSON.parse(prose.message.content)).toThrow();
    const retry = await ollama.chat({ model: "m", ...ask, format: schema });
    expect(JSON.parse(retry.message.content)).toEqual({ ok: true });
  });
});
