import { afterEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { type SlowClient, slowBody, slowClient } from "../test-support/slow-clients.js";
import { startWorker } from "../test-support/start-worker.js";

// A stranger on the network must not be able to hold the worker's connections. Slow clients
// come from 127.0.0.2 while the legitimate caller is on 127.0.0.1, as two hosts would.

const TOKEN = "t0ken-for-connection-tests";

let ollama: FakeOllama | undefined;
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
const strangers: SlowClient[] = [];
afterEach(async () => {
  for (const stranger of strangers.splice(0)) stranger.destroy();
  await worker?.close();
  await ollama?.close();
  worker = ollama = undefined;
});

async function start(settings: Parameters<typeof startWorker>[1] = {}, bounds = { headersTimeoutMs: 500, requestTimeoutMs: 1_000 }) {
  ollama = await startFakeOllama({ models: { "m:1b": { answer: "Fine.", decodeTokensPerSecond: 1_000 } } });
  worker = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, ...settings }, { requestBounds: bounds });
  return worker.url;
}

/** A slow client kept for the cleanup. */
function stranger(client: SlowClient): SlowClient {
  strangers.push(client);
  return client;
}

async function legitimateChat(url: string) {
  const startedAt = performance.now();
  const response = await fetch(`${url}/api/chat`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ model: "m:1b", messages: [{ role: "user", content: "hi" }], stream: false }),
  });
  const body = (await response.json()) as { message?: { content: string } };
  return { status: response.status, content: body.message?.content, ms: performance.now() - startedAt };
}

describe("connections from a stranger", () => {
  it("without a token: 401 with Connection: close at once, the body never read, the connection gone", async () => {
    const url = await start();
    const client = stranger(slowBody({ url, path: "/api/chat", everyMs: 100 }));
    const { afterMs } = await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(client.received().toLowerCase()).toContain("connection: close");
    expect(afterMs).toBeLessThan(900); // well before the request bound of 1 s
  });

  it("headers sent too slowly: the connection is closed once the header bound has passed", async () => {
    const url = await start();
    const client = stranger(slowClient({ url, drip: `GET /health HTTP/1.1\r\nHost: worker\r\nX-Slow: ${"a".repeat(500)}\r\n\r\n`, everyMs: 50 }));
    const { afterMs } = await client.closed;
    expect(afterMs).toBeGreaterThanOrEqual(450);
    expect(afterMs).toBeLessThan(2_500);
  });

  it("a body trickled in by a token holder: 408 once the request bound has passed", async () => {
    const url = await start();
    const client = stranger(slowBody({ url, path: "/api/chat", everyMs: 100, headers: { Authorization: `Bearer ${TOKEN}` } }));
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it("one address holding many connections: the ones over its cap are refused with a reason, and another address is served within 1 s", async () => {
    const url = await start({ WORKER_MAX_CONNECTIONS_PER_ADDRESS: 20 }, { headersTimeoutMs: 5_000, requestTimeoutMs: 30_000 });
    const clients = Array.from({ length: 200 }, () => stranger(slowClient({ url, drip: "POST /api/chat HTTP/1.1\r\n", everyMs: 300 })));
    await expect.poll(() => clients.filter((client) => !client.open()).length).toBe(180);
    const refused = clients.filter((client) => !client.open());
    expect(refused[0]?.received()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(refused[0]?.received()).toContain("too many connections from your address: at most 20 at once (WORKER_MAX_CONNECTIONS_PER_ADDRESS on the worker)");

    const served = await legitimateChat(url);
    expect(served).toMatchObject({ status: 200, content: "Fine." });
    expect(served.ms).toBeLessThan(1_000);
  });

  it("keeps no bound on a response: a generation streaming longer than the request bound ends whole", async () => {
    const url = await start();
    ollama?.setModel("slow:1b", { answer: "one two three four five six seven eight nine ten", decodeTokensPerSecond: 8 });
    const response = await fetch(`${url}/api/generate`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ model: "slow:1b", prompt: "count" }) });
    const startedAt = performance.now();
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line) as { response: string; done: boolean });
    expect(performance.now() - startedAt).toBeGreaterThan(1_000);
    expect(lines.map((line) => line.response).join("")).toBe("one two three four five six seven eight nine ten");
    expect(lines.at(-1)?.done).toBe(true);
  });
});
