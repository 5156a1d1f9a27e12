import { afterEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

// With no WORKER_MODELS, any name a caller invents used to leave an admission lane and metric
// series behind. Now only models Ollama lists get either, and Ollama's list is read at most
// once a second whatever the callers send.

let ollama: FakeOllama | undefined;
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
afterEach(async () => {
  await worker?.close();
  await ollama?.close();
  worker = ollama = undefined;
});

async function chat(url: string, model: string) {
  const response = await fetch(`${url}/api/chat`, { method: "POST", body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], stream: false }) });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe("a model Ollama does not have", () => {
  it("is a 404 in Ollama's words that creates nothing: no lane, no metric series, Ollama's list read once a second", async () => {
    ollama = await startFakeOllama({ models: { "real:1b": {} } });
    worker = await startWorker(ollama.url);
    const { url } = worker;
    const names = Array.from({ length: 200 }, (_, i) => `invented-${i}-${"x".repeat(10_000)}`);
    const startedAt = performance.now();
    const answers = await Promise.all(names.map((name) => chat(url, name)));
    const seconds = (performance.now() - startedAt) / 1000;
    expect(answers.every((answer) => answer.status === 404)).toBe(true);
    expect(answers[0]?.body.error).toBe(`model "${names[0]?.slice(0, 200)}…" not found, try pulling it first`);
    expect(ollama.requests.filter((request) => request.path === "/api/chat")).toHaveLength(0);
    expect(ollama.requests.filter((request) => request.path === "/api/tags").length).toBeLessThanOrEqual(1 + Math.ceil(seconds));

    expect((await chat(url, "real:1b")).status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).not.toContain("invented-");
    expect(metrics).toContain('model="real:1b"');
    const slots = ((await (await fetch(`${url}/health/models`)).json()) as { slots: Array<{ model: string }> }).slots;
    expect(slots.map((slot) => slot.model)).toEqual(["real:1b"]);
  });

  it("is found a moment after it is pulled, without waiting for a cache to expire", async () => {
    ollama = await startFakeOllama({ models: { "real:1b": {} } });
    worker = await startWorker(ollama.url);
    expect((await chat(worker.url, "new:1b")).status).toBe(404);
    ollama.setModel("new:1b", {});
    expect((await chat(worker.url, "new:1b")).status).toBe(200);
  });

  it("is a 502 naming Ollama, not a 404, when Ollama cannot say which models it has", async () => {
    worker = await startWorker("http://127.0.0.1:1");
    const answer = await chat(worker.url, "any:1b");
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe("Ollama not reachable at http://127.0.0.1:1 (ECONNREFUSED); is `ollama serve` running there?");
  });
});
