import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";
import { modelsHealth, ollamaHealth, serviceHealth, systemHealth } from "../wire/worker-health.js";

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  ollama = await startFakeOllama({
    version: "0.12.6",
    models: { "llama3.2:3b": { vramBytes: 3_000_000_000, parameterSize: "3.2B" }, "qwen2.5:7b": {} },
  });
  worker = await startWorker(ollama.url, { WORKER_PARALLEL: 2 });
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

const get = async (path: string) => {
  const response = await fetch(`${worker.url}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
};

describe("health", () => {
  it("GET /health: status, version and uptime", async () => {
    const answer = await get("/health");
    expect(answer.status).toBe(200);
    expect(serviceHealth.parse(JSON.parse(answer.text))).toMatchObject({ status: "ok", version: expect.any(String) });
  });

  it("GET /health/ollama: reachable, its version and the round trip", async () => {
    const health = ollamaHealth.parse(JSON.parse((await get("/health/ollama")).text));
    expect(health).toMatchObject({ url: ollama.url, reachable: true, version: "0.12.6" });
    expect(health.roundTripMs).toBeGreaterThanOrEqual(0);
  });

  it("GET /health/ollama says unreachable with 502 and why", async () => {
    const lonely = await startWorker("http://127.0.0.1:1");
    try {
      const response = await fetch(`${lonely.url}/health/ollama`);
      expect(response.status).toBe(502);
      expect(ollamaHealth.parse(await response.json())).toMatchObject({ reachable: false, error: expect.stringContaining("ECONNREFUSED") });
    } finally {
      await lonely.close();
    }
  });

  it("GET /health/system: CPU, memory and GPUs of this host, sampled at most every 2 s", async () => {
    const first = systemHealth.parse(JSON.parse((await get("/health/system")).text));
    expect(first.cpu.cores).toBeGreaterThan(0);
    expect(first.memory.totalBytes).toBeGreaterThan(first.memory.usedBytes);
    expect(Array.isArray(first.gpus)).toBe(true);
    const second = systemHealth.parse(JSON.parse((await get("/health/system")).text));
    expect(second.sampledAt).toBe(first.sampledAt);
  });

  it("GET /health/models: installed, loaded with VRAM and expiry, and slots per model", async () => {
    await fetch(`${worker.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: "llama3.2:3b", prompt: "hi", stream: false }) });
    const health = modelsHealth.parse(JSON.parse((await get("/health/models")).text));
    expect(health.installed.map((model) => model.name).sort()).toEqual(["llama3.2:3b", "qwen2.5:7b"]);
    expect(health.installed.find((model) => model.name === "llama3.2:3b")?.parameterSize).toBe("3.2B");
    const loaded = health.loaded.find((model) => model.name === "llama3.2:3b");
    expect(loaded?.vramBytes).toBe(3_000_000_000);
    expect(Date.parse(loaded?.expiresAt ?? "")).toBeGreaterThan(Date.now());
    expect(health.slots).toContainEqual({ model: "llama3.2:3b", busy: 0, queued: 0, parallel: 2 });
  });

  it("GET /metrics: Prometheus text with requests, tokens, queue depth and durations", async () => {
    await fetch(`${worker.url}/api/generate`, { method: "POST", body: JSON.stringify({ model: "qwen2.5:7b", prompt: "hi", stream: false }) });
    const answer = await get("/metrics");
    expect(answer.type).toContain("text/plain");
    expect(answer.text).toMatch(/council_worker_requests_total\{endpoint="\/api\/generate",model="qwen2.5:7b",status="200"\} 1/);
    expect(answer.text).toMatch(/council_worker_tokens_total\{model="qwen2.5:7b",direction="in"\} [1-9]/);
    expect(answer.text).toMatch(/council_worker_tokens_total\{model="qwen2.5:7b",direction="out"\} [1-9]/);
    expect(answer.text).toMatch(/council_worker_queue_depth\{model="qwen2.5:7b"\} 0/);
    expect(answer.text).toMatch(/council_worker_request_duration_seconds_count\{endpoint="\/api\/generate",model="qwen2.5:7b"\} 1/);
  });
});
