import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

const TOKEN = "tok_7f3a9c1e5b2d8f4a6c0e";

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: { "llama3.2:3b": {}, "qwen2.5:7b": {}, "secret-model:70b": {} } });
  worker = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ["llama3.2:3b", "qwen2.5"] });
  // The start-up check of WORKER_MODELS asks Ollama for its list; the tests below count what Ollama sees.
  await vi.waitFor(() => expect(startupWarning()).toBeDefined());
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

const startupWarning = () => worker.logs.entries().find((entry) => String(entry.msg).startsWith("WORKER_MODELS names"));
const authed = () => new Ollama({ host: worker.url, headers: { Authorization: `Bearer ${TOKEN}` } });

describe("bearer token", () => {
  it("lets the ollama client in with the right token", async () => {
    const answer = await authed().chat({ model: "llama3.2:3b", messages: [{ role: "user", content: "hi" }], stream: false });
    expect(answer.done).toBe(true);
  });

  it("refuses a missing or wrong token with 401 on every route but GET /health", async () => {
    const before = ollama.requests.length;
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer wrong-token-0000000000" }, { authorization: TOKEN }];
    for (const headers of attempts) {
      for (const [method, path] of [
        ["POST", "/api/chat"],
        ["POST", "/api/generate"],
        ["GET", "/api/tags"],
        ["GET", "/api/ps"],
        ["POST", "/api/show"],
        ["GET", "/api/version"],
        ["GET", "/health/ollama"],
        ["GET", "/health/system"],
        ["GET", "/health/models"],
        ["GET", "/metrics"],
        ["POST", "/api/pull"],
      ] as const) {
        const body = method === "POST" ? JSON.stringify({ model: "llama3.2:3b" }) : undefined;
        const response = await fetch(`${worker.url}${path}`, { method, headers, body });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(((await response.json()) as { error: string }).error).toMatch(/^unauthorized: /);
      }
    }
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
    expect(ollama.requests.length).toBe(before);
  });

  it("says what is wrong through the ollama client", async () => {
    const error = await new Ollama({ host: worker.url }).list().catch((e: unknown) => e);
    expect(error).toMatchObject({ status_code: 401, error: "unauthorized: send the header Authorization: Bearer <WORKER_TOKEN>" });
  });

  it("never writes the token, right or wrong, into a log line", async () => {
    await fetch(`${worker.url}/api/tags`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    await authed().list();
    expect(worker.logs.text()).not.toContain(TOKEN);
    expect(worker.logs.text()).toContain('"path":"/api/tags"');
  });
});

describe("model allowlist", () => {
  it("is checked against Ollama's models at start, naming those it does not have and how to get them", () => {
    expect(startupWarning()).toMatchObject({
      level: 40,
      missing: ["qwen2.5"],
      msg: "WORKER_MODELS names models Ollama does not have: qwen2.5; run `ollama pull <model>` on this machine, or fix the names",
    });
  });

  it("refuses other models with 403 naming the allowed ones, before Ollama sees them", async () => {
    const before = ollama.requests.length;
    const error = await authed()
      .chat({ model: "secret-model:70b", messages: [], stream: false })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status_code: 403,
      error: 'model "secret-model:70b" is not allowed on this worker; allowed models: llama3.2:3b, qwen2.5 (WORKER_MODELS)',
    });
    await expect(authed().show({ model: "secret-model:70b" })).rejects.toMatchObject({ status_code: 403 });
    expect(ollama.requests.length).toBe(before);
  });

  it("treats a name without a tag as :latest, like Ollama", async () => {
    ollama.setModel("qwen2.5:latest", {});
    const answer = await authed().generate({ model: "qwen2.5:latest", prompt: "hi", stream: false });
    expect(answer.done).toBe(true);
  });

  it("lists only the allowed models", async () => {
    const tags = await authed().list();
    expect(tags.models.map((model) => model.name).sort()).toEqual(["llama3.2:3b", "qwen2.5:latest"]);
    const running = await authed().ps();
    expect(running.models.map((model) => model.name)).not.toContain("secret-model:70b");
  });
});
