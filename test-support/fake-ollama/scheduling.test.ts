// Slots, queueing, loads and reloads, context truncation and the timing model.
import { Ollama } from "ollama";
import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "./model-script.js";
import { chatBody, NS_PER_MS, post, useFake } from "./test-helpers.js";
import { expectedTiming } from "./timing.js";
import { MESSAGE_TEMPLATE_TOKENS } from "./tokens.js";

const start = useFake();

/** Sends a chat and waits until the fake has queued it (or answered it), so queue order is call order. */
async function send(fake: { url: string; waitForRequest: (p: (r: RecordedRequest) => boolean) => Promise<RecordedRequest> }, body: unknown, init?: RequestInit) {
  const marker = `${Math.random()}`;
  const response = post(fake.url, "/api/chat", body, { ...init, headers: { "Content-Type": "application/json", "X-Marker": marker } });
  response.catch(() => {}); // aborted ones reject; the test looks at the record instead
  const record = await fake.waitForRequest((r) => r.headers["x-marker"] === marker && (r.queuedAt !== undefined || r.status !== undefined));
  return { response, record };
}

describe("slots", () => {
  it("runs one generation per model at a time by default and serves the rest FIFO", async () => {
    // 5 tokens at 50 tok/s: 100 ms each.
    const fake = await start({ models: { m: { answer: "one two three four five", decodeTokensPerSecond: 50 } } });
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await send(fake, chatBody("m", `q${i}`)));
    expect(fake.inFlight("m")).toBe(1);
    expect(fake.waiting("m")).toBe(2);
    expect(fake.waiting()).toBe(2);

    await Promise.all(sent.map(async ({ response }) => (await response).text()));
    const [a, b, c] = sent.map(({ record }) => record) as [RecordedRequest, RecordedRequest, RecordedRequest];
    expect(b.firstByteAt!).toBeGreaterThanOrEqual(a.finishedAt!);
    expect(c.firstByteAt!).toBeGreaterThanOrEqual(b.finishedAt!);
    expect(c.finishedAt! - a.receivedAt).toBeGreaterThanOrEqual(299);
    expect(fake.inFlight()).toBe(0);
    expect(fake.waiting()).toBe(0);
  });

  it("runs `parallel` generations at once", async () => {
    const fake = await start({ models: { m: { answer: "one two three four five", decodeTokensPerSecond: 50, parallel: 2 } } });
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await send(fake, chatBody("m", `q${i}`)));
    expect(fake.inFlight("m")).toBe(2);
    expect(fake.waiting("m")).toBe(1);
    await Promise.all(sent.map(async ({ response }) => (await response).text()));
    const [a, b, c] = sent.map(({ record }) => record) as [RecordedRequest, RecordedRequest, RecordedRequest];
    expect(b.firstByteAt!).toBeLessThan(a.finishedAt!);
    expect(c.firstByteAt!).toBeGreaterThanOrEqual(Math.min(a.finishedAt!, b.finishedAt!));
  });

  it("gives every model its own slots, so a council's members stream side by side", async () => {
    const script = { answer: "one two three four five", decodeTokensPerSecond: 50 };
    const fake = await start({ models: { a: script, b: script, c: script } });
    const began = performance.now();
    const sent = [];
    for (const model of ["a", "b", "c"]) sent.push(await send(fake, chatBody(model)));
    expect(fake.inFlight()).toBe(3);
    await Promise.all(sent.map(async ({ response }) => (await response).text()));
    expect(performance.now() - began).toBeLessThan(290); // three in a row would take 300 ms
  });

  it("answers 503 with Ollama's busy text once more than maxQueue requests wait", async () => {
    const fake = await start({ maxQueue: 1, models: { m: { fault: { kind: "hang", times: 1 } } } });
    const hangingClient = new AbortController();
    const hung = await send(fake, chatBody("m"), { signal: hangingClient.signal });
    const queued = await send(fake, chatBody("m", "second", { stream: false }));
    expect(fake.waiting()).toBe(1);

    const error = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: "third" }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status_code: 503, error: "server busy, please try again.  maximum pending requests exceeded" });
    expect(fake.requests.at(-1)?.status).toBe(503);

    // The hung one holds its slot until its client goes away; then the queued one runs.
    expect(hung.record.firstByteAt).toBeUndefined();
    hangingClient.abort();
    expect((await queued.response).status).toBe(200);
    expect(hung.record).toMatchObject({ aborted: true, completed: false });
  });
});

describe("loads", () => {
  it("loads on first use, reloads when num_ctx changes and charges load_duration for it", async () => {
    const fake = await start({ models: { m: { loadMs: 80 } } });
    const ollama = new Ollama({ host: fake.url });
    const ask = (options: Record<string, number> = {}) => ollama.chat({ model: "m", messages: [{ role: "user", content: "x" }], options });

    const first = await ask();
    expect(first.load_duration / NS_PER_MS).toBeGreaterThanOrEqual(79);
    const second = await ask({ num_ctx: 4096 }); // the default: no reload
    expect(second.load_duration / NS_PER_MS).toBeLessThan(40);
    const third = await ask({ num_ctx: 8192 });
    expect(third.load_duration / NS_PER_MS).toBeGreaterThanOrEqual(79);
    const fourth = await ask(); // back to the default: another reload
    expect(fourth.load_duration / NS_PER_MS).toBeGreaterThanOrEqual(79);

    expect(fake.requests.map((r) => [r.numCtx, r.loaded])).toEqual([[4096, true], [4096, false], [8192, true], [4096, true]]);
    expect(fake.loads("m")).toBe(3);
    expect(fake.reloads("m")).toBe(2);
    expect(fake.reloads("m:latest")).toBe(2);
  });

  it("waits for running generations to drain before a reload", async () => {
    const fake = await start({ models: { m: { answer: "one two three four five", decodeTokensPerSecond: 50, parallel: 2, loadMs: 10 } } });
    const a = await send(fake, chatBody("m", "a"));
    const b = await send(fake, chatBody("m", "b", { options: { num_ctx: 8192 } }));
    const c = await send(fake, chatBody("m", "c")); // same num_ctx as a, but FIFO keeps it behind b
    expect(fake.inFlight("m")).toBe(1);
    expect(fake.waiting("m")).toBe(2);
    await Promise.all([a, b, c].map(async ({ response }) => (await response).text()));
    expect(b.record.firstByteAt!).toBeGreaterThanOrEqual(a.record.finishedAt!);
    expect([a.record.loaded, b.record.loaded, c.record.loaded]).toEqual([true, true, true]);
    expect(fake.reloads("m")).toBe(2);
  });

  it("sends headers only with the first token, after load and prefill", async () => {
    // 16 prompt tokens at 100 tok/s = 160 ms of prefill after 100 ms of load.
    const fake = await start({ models: { m: { loadMs: 100, prefillTokensPerSecond: 100 } } });
    const began = performance.now();
    const response = await post(fake.url, "/api/chat", chatBody("m", "w ".repeat(12).trim()));
    expect(performance.now() - began).toBeGreaterThanOrEqual(259);
    await response.text();
    const [record] = fake.requests;
    expect(record!.firstByteAt! - record!.receivedAt).toBeGreaterThanOrEqual(259);
    expect(record!.promptTokens).toBe(16);
  });

  it("unloads after keep_alive runs out, and the next use loads again without counting a reload", async () => {
    const fake = await start({ models: { m: {} } });
    const ollama = new Ollama({ host: fake.url });
    await ollama.chat({ model: "m", messages: [{ role: "user", content: "x" }], keep_alive: "50ms" });
    expect((await ollama.ps()).models).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await ollama.ps()).models).toHaveLength(0);
    await ollama.chat({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(fake.requests.filter((r) => r.path === "/api/chat").map((r) => r.loaded)).toEqual([true, true]);
    expect(fake.loads("m")).toBe(2);
    expect(fake.reloads("m")).toBe(0);
  });
});

describe("context", () => {
  it("silently keeps only num_ctx prompt tokens, as prompt_eval_count shows", async () => {
    const fake = await start({ models: { small: { contextLength: 32 } } });
    const ollama = new Ollama({ host: fake.url });
    const long = "word ".repeat(100).trim();
    const capped = await ollama.chat({ model: "small", messages: [{ role: "user", content: long }] });
    expect(capped.prompt_eval_count).toBe(32);
    expect(capped.done_reason).toBe("stop");
    const wider = await ollama.chat({ model: "small", messages: [{ role: "user", content: long }], options: { num_ctx: 64 } });
    expect(wider.prompt_eval_count).toBe(64);
    const fits = await ollama.chat({ model: "small", messages: [{ role: "user", content: "word word" }], options: { num_ctx: 64 } });
    expect(fits.prompt_eval_count).toBe(2 + MESSAGE_TEMPLATE_TOKENS);
    expect(fake.requests.map((r) => r.promptTokens)).toEqual([32, 64, 2 + MESSAGE_TEMPLATE_TOKENS]);
  });
});

describe("timing", () => {
  it("keeps 2000 tok/s accurate over a long answer instead of drifting with timer granularity", async () => {
    const script = { decodeTokensPerSecond: 2000, prefillTokensPerSecond: 10_000, loadMs: 50, answer: "tok ".repeat(1000).trim() };
    const fake = await start({ models: { fast: script } });
    const prompt = "p ".repeat(496).trim(); // 500 prompt tokens -> 50 ms
    const expected = expectedTiming(script, 500, 1000, true);
    expect(expected.totalMs).toBe(600);

    const began = performance.now();
    const stream = await new Ollama({ host: fake.url }).chat({ model: "fast", messages: [{ role: "user", content: prompt }], stream: true });
    let last;
    for await (const chunk of stream) last = chunk;
    const wall = performance.now() - began;

    expect(last?.eval_count).toBe(1000);
    // Never early; a generous ceiling (real drift at 1 ms timers would add ~500 ms here).
    expect(wall).toBeGreaterThanOrEqual(expected.totalMs - 1);
    expect(wall).toBeLessThan(expected.totalMs * 1.5);
    const rate = (last!.eval_count / last!.eval_duration) * 1e9;
    expect(rate).toBeGreaterThan(1500);
    expect(rate).toBeLessThanOrEqual(2001);
  });

  it("answers promptly with no timers at all when rates are Infinity", async () => {
    const fake = await start({ models: { m: { answer: "x ".repeat(2000).trim() } } });
    const began = performance.now();
    const response = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: "go" }] });
    expect(response.eval_count).toBe(2000);
    expect(performance.now() - began).toBeLessThan(1000);
    expect(fake.pendingTimers()).toBe(0);
  });
});
