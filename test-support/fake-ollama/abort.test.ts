// A client that goes away at any stage, and close() with work still open.
import { Ollama } from "ollama";
import { describe, expect, it, vi } from "vitest";
import { startFakeOllama } from "./server.js";
import { chatBody, post, useFake } from "./test-helpers.js";

const start = useFake();
const slow = { answer: "word ".repeat(200).trim(), decodeTokensPerSecond: 100 }; // 2 s of tokens

describe("abort", () => {
  it("stops a stream when the client aborts, frees the slot and leaves no timer behind", async () => {
    const fake = await start({ models: { m: slow } });
    const stream = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: "go" }], stream: true });
    let chunks = 0;
    const reading = (async () => {
      for await (const _ of stream) if (++chunks === 3) stream.abort();
    })().catch((e: unknown) => e);
    expect(await reading).toMatchObject({ name: "AbortError" });

    const [record] = fake.requests;
    const settled = await fake.waitForSettled(record!.id);
    expect(settled).toMatchObject({ aborted: true, completed: false, status: 200 });
    expect(settled.completionTokens).toBeLessThan(200);
    await vi.waitFor(() => expect(fake.inFlight()).toBe(0));
    expect(fake.pendingTimers()).toBe(0);
  });

  it("takes a request out of the queue when its client leaves while waiting for a slot", async () => {
    const fake = await start({ models: { m: slow } });
    const first = post(fake.url, "/api/chat", chatBody("m"));
    await fake.waitForRequest((r) => r.admittedAt !== undefined);
    const client = new AbortController();
    const second = post(fake.url, "/api/chat", chatBody("m", "second"), { signal: client.signal });
    const queued = await fake.waitForRequest((r) => r.id === 2 && r.queuedAt !== undefined);
    expect(fake.waiting("m")).toBe(1);

    client.abort();
    await expect(second).rejects.toThrow();
    expect(await fake.waitForSettled(queued.id)).toMatchObject({ aborted: true });
    expect(queued.admittedAt).toBeUndefined();
    expect(fake.waiting()).toBe(0);
    (await first).body?.cancel();
  });

  it("records an abort during a load at once, and the load still completes as Ollama's does", async () => {
    const fake = await start({ models: { m: { loadMs: 150 } } });
    const client = new AbortController();
    const response = post(fake.url, "/api/chat", chatBody("m"), { signal: client.signal });
    const record = await fake.waitForRequest((r) => r.queuedAt !== undefined);
    client.abort();
    await expect(response).rejects.toThrow();
    const settled = await fake.waitForSettled(record.id);
    expect(settled.aborted).toBe(true);
    expect(settled.finishedAt! - settled.receivedAt).toBeLessThan(150);

    await vi.waitFor(() => expect(fake.inFlight()).toBe(0));
    const next = await new Ollama({ host: fake.url }).chat({ model: "m", messages: [{ role: "user", content: "x" }] });
    expect(next.load_duration / 1e6).toBeLessThan(100);
    expect(fake.loads("m")).toBe(1);
  });

  it("records an abort during prefill at once, but keeps the slot until the prefill ends (ollama#11889)", async () => {
    // 4 template + 1 prompt tokens at 25 tok/s: 200 ms of prefill.
    const fake = await start({ models: { m: { prefillTokensPerSecond: 25 } } });
    const client = new AbortController();
    const response = post(fake.url, "/api/chat", chatBody("m", "go"), { signal: client.signal });
    const record = await fake.waitForRequest((r) => r.admittedAt !== undefined);
    client.abort();
    await expect(response).rejects.toThrow();
    const settled = await fake.waitForSettled(record.id);
    expect(settled).toMatchObject({ aborted: true, completed: false });
    expect(settled.firstByteAt).toBeUndefined();
    expect(fake.inFlight("m")).toBe(1);
    await vi.waitFor(() => expect(fake.inFlight("m")).toBe(0), { timeout: 2000 });
    expect(performance.now() - record.admittedAt!).toBeGreaterThanOrEqual(199);
    expect(fake.pendingTimers()).toBe(0);
  });

  it("records a non-streamed request whose client leaves before the end as aborted", async () => {
    const fake = await start({ models: { m: slow } });
    const client = new AbortController();
    const response = post(fake.url, "/api/chat", chatBody("m", "go", { stream: false }), { signal: client.signal });
    const record = await fake.waitForRequest((r) => (r.completionTokens ?? 0) > 0);
    client.abort();
    await expect(response).rejects.toThrow();
    expect(await fake.waitForSettled(record.id)).toMatchObject({ aborted: true, completed: false });
    expect(record.status).toBeUndefined();
    await vi.waitFor(() => expect(fake.pendingTimers()).toBe(0));
  });
});

describe("close", () => {
  it("finishes with a hung request open, cutting it off and settling its record", async () => {
    const fake = await startFakeOllama({ models: { m: { fault: { kind: "hang" } } } });
    const response = post(fake.url, "/api/chat", chatBody("m"));
    const record = await fake.waitForRequest((r) => r.admittedAt !== undefined);
    const settled = fake.waitForSettled(record.id);
    await fake.close();
    await expect(response).rejects.toThrow();
    expect(await settled).toMatchObject({ aborted: true });
    expect(fake.pendingTimers()).toBe(0);
    await fake.close(); // twice is fine
  });

  it("finishes at once with idle keep-alive connections and with requests mid-stream or queued", async () => {
    const fake = await startFakeOllama({ models: { m: slow } });
    const ollama = new Ollama({ host: fake.url });
    await ollama.list(); // leaves a keep-alive connection open
    const streaming = post(fake.url, "/api/chat", chatBody("m")).then((r) => r.text()).catch((e: unknown) => e);
    await fake.waitForRequest((r) => r.id === 2 && r.firstByteAt !== undefined);
    const queued = post(fake.url, "/api/chat", chatBody("m", "second")).catch((e: unknown) => e);
    await fake.waitForRequest((r) => r.id === 3 && r.queuedAt !== undefined);
    const began = performance.now();
    await fake.close();
    expect(performance.now() - began).toBeLessThan(1000);
    expect(await queued).toBeInstanceOf(Error);
    expect(await streaming).toBeInstanceOf(Error); // the body stops mid-stream
    expect(fake.requests.slice(1).every((r) => r.aborted)).toBe(true);
    expect(fake.pendingTimers()).toBe(0);
  });

  it("fails waits that can no longer be met", async () => {
    const fake = await startFakeOllama();
    const waiting = fake.waitForRequest(() => false, 10_000);
    await fake.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });

  it("listens on 127.0.0.1 only, on the port asked for", async () => {
    const probe = await startFakeOllama();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const fake = await startFakeOllama({ port });
    try {
      expect(fake.url).toBe(`http://127.0.0.1:${port}`);
      expect(await (await fetch(`${fake.url}/`)).text()).toBe("Ollama is running");
    } finally {
      await fake.close();
    }
  });
});
