import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

// A stranger on the network must not be able to hold the worker's connections. Slow clients
// come from 127.0.0.2 while the legitimate caller is on 127.0.0.1, as two hosts would.

const TOKEN = "t0ken-for-connection-tests";
const STRANGER = "127.0.0.2";

let ollama: FakeOllama | undefined;
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await worker?.close();
  await ollama?.close();
  worker = ollama = undefined;
});

async function start(settings: Parameters<typeof startWorker>[1] = {}, bounds = { headersTimeoutMs: 500, requestTimeoutMs: 1_000 }) {
  ollama = await startFakeOllama({ models: { "m:1b": { answer: "Fine.", decodeTokensPerSecond: 1_000 } } });
  worker = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, ...settings }, { requestBounds: bounds });
  return { port: Number(new URL(worker.url).port), url: worker.url };
}

/** A raw connection from 127.0.0.2 that records what it is sent and when it closes. */
function strangerConnection(port: number) {
  const socket = net.connect({ host: "127.0.0.1", port, localAddress: STRANGER });
  sockets.push(socket);
  let received = "";
  socket.on("data", (bytes) => (received += bytes.toString()));
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now())));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed, connected, received: () => received };
}

/** Writes `text` one byte at a time, every `everyMs`, until the socket closes. */
function drip(socket: net.Socket, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) return clearInterval(timer);
    socket.write(text[at++] ?? "");
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
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
    const { port } = await start();
    const stranger = strangerConnection(port);
    await stranger.connected;
    const sentAt = performance.now();
    stranger.socket.write("POST /api/chat HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");
    drip(stranger.socket, '"model":"m:1b"'.repeat(1000), 100);
    const closedAt = await stranger.closed;
    expect(stranger.received()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(stranger.received().toLowerCase()).toContain("connection: close");
    expect(closedAt - sentAt).toBeLessThan(900); // well before the request bound of 1 s
  });

  it("headers sent too slowly: the connection is closed once the header bound has passed", async () => {
    const { port } = await start();
    const stranger = strangerConnection(port);
    await stranger.connected;
    const sentAt = performance.now();
    drip(stranger.socket, `GET /health HTTP/1.1\r\nHost: worker\r\nX-Slow: ${"a".repeat(500)}\r\n\r\n`, 50);
    const closedAt = await stranger.closed;
    expect(closedAt - sentAt).toBeGreaterThanOrEqual(450);
    expect(closedAt - sentAt).toBeLessThan(2_500);
  });

  it("a body trickled in by a token holder: 408 once the request bound has passed", async () => {
    const { port } = await start();
    const stranger = strangerConnection(port);
    await stranger.connected;
    stranger.socket.write(`POST /api/chat HTTP/1.1\r\nHost: worker\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n{`);
    drip(stranger.socket, " ".repeat(999), 100);
    await stranger.closed;
    expect(stranger.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it("one address holding many connections: the ones over its cap are refused with a reason, and another address is served within 1 s", async () => {
    const { port, url } = await start({ WORKER_MAX_CONNECTIONS_PER_ADDRESS: 20 }, { headersTimeoutMs: 5_000, requestTimeoutMs: 30_000 });
    const strangers = Array.from({ length: 200 }, () => strangerConnection(port));
    await Promise.all(strangers.map((stranger) => stranger.connected.catch(() => {})));
    for (const stranger of strangers) drip(stranger.socket, "POST /api/chat HTTP/1.1\r\n", 300);
    await expect.poll(() => strangers.filter((stranger) => stranger.socket.destroyed).length).toBe(180);
    const refused = strangers.filter((stranger) => stranger.socket.destroyed);
    expect(refused[0]?.received()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(refused[0]?.received()).toContain("too many connections from your address: at most 20 at once (WORKER_MAX_CONNECTIONS_PER_ADDRESS on the worker)");

    const served = await legitimateChat(url);
    expect(served).toMatchObject({ status: 200, content: "Fine." });
    expect(served.ms).toBeLessThan(1_000);
  });

  it("keeps no bound on a response: a generation streaming longer than the request bound ends whole", async () => {
    const { url } = await start();
    ollama?.setModel("slow:1b", { answer: "one two three four five six seven eight nine ten", decodeTokensPerSecond: 8 });
    const response = await fetch(`${url}/api/generate`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ model: "slow:1b", prompt: "count" }) });
    const startedAt = performance.now();
    const lines = (await response.text()).trim().split("\n").map((line) => JSON.parse(line) as { response: string; done: boolean });
    expect(performance.now() - startedAt).toBeGreaterThan(1_000);
    expect(lines.map((line) => line.response).join("")).toBe("one two three four five six seven eight nine ten");
    expect(lines.at(-1)?.done).toBe(true);
  });
});
