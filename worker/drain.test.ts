import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeOllama, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { freePort } from "../test-support/free-port.js";

// The worker as `npm run worker` runs it: the esbuild bundle in a process of its own, so the
// signals, the exit code and the start-up refusal are the real ones. The bundle goes to a file
// of this test's own (the last --outfile wins), so a build running elsewhere cannot swap it
// mid-test; it stays in dist/ because it finds node_modules and package.json from there.
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUNDLE = join(ROOT, "dist/worker-drain-test.mjs");
const SHUTTING_DOWN = "the worker is shutting down; retry on another worker or in a moment";

// One token per word: 40 at 20/s streams for 2 s, 600 at 20/s for 30 s.
const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(" ");

let cwd: string;
let ollama: FakeOllama | undefined;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  await promisify(execFile)("npm", ["run", "-s", "build:worker", "--", `--outfile=${BUNDLE}`], { cwd: ROOT });
  // An empty working directory: a developer's .env must not change what the worker is tested with.
  cwd = await mkdtemp(join(tmpdir(), "worker-drain-"));
});
afterEach(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
  worker = undefined;
  await ollama?.close();
  ollama = undefined;
});
afterAll(async () => {
  await rm(BUNDLE, { force: true });
  await rm(cwd, { recursive: true, force: true });
});

/** Spawns the bundle and resolves once it logged "worker ready"; its log lines are kept, parsed. */
async function startWorkerProcess(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [BUNDLE], {
    cwd,
    env: { PATH: process.env.PATH, WORKER_PORT: String(port), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker = child;
  const logs: Array<Record<string, unknown>> = [];
  const logged = (msg: string) => logs.find((entry) => entry.msg === msg);
  let stderr = "";
  let pending = "";
  let onReady: () => void = () => {};
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    logs.push(...lines.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
    if (logged("worker ready")) onReady();
  });
  // "close" rather than "exit": it comes after the last log line has been read.
  const exited = once(child, "close").then(([code]) => code as number | null);
  const ready = new Promise<boolean>((resolve) => (onReady = () => resolve(true)));
  if (!(await Promise.race([ready, exited.then(() => false)]))) throw new Error(`the worker exited at start-up:\n${stderr}`);
  return { url: `http://127.0.0.1:${port}`, child, exited, logged };
}

function startChat(url: string, content: string) {
  return fetch(`${url}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
  });
}

type Chunk = { done?: boolean; message?: { content: string } };

/** The rest of a streamed answer, as NDJSON chunks; rejects when the stream is cut. */
async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>, decoder = new TextDecoder()): Promise<Chunk[]> {
  let text = "";
  for (let part = await reader.read(); !part.done; part = await reader.read()) text += decoder.decode(part.value, { stream: true });
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Chunk);
}

describe("the worker on SIGTERM and SIGINT", () => {
  it("refuses new requests with a 503 that says why, lets a stream in flight finish, and exits 0", async () => {
    ollama = await startFakeOllama({ models: { m: { decodeTokensPerSecond: 20, answer: words(40) } } });
    const started = await startWorkerProcess({ OLLAMA_URL: ollama.url });
    const response = await startChat(started.url, "slow");
    const reader = response.body!.getReader();
    // The whole answer, from before the signal to its end (awaited below; the no-op catch only
    // keeps a failure elsewhere in this test from also being reported as an unhandled rejection).
    const answer = readRest(reader);
    answer.catch(() => {});
    await ollama.waitForRequest((request) => request.path === "/api/chat" && request.firstByteAt !== undefined);

    started.child.kill("SIGTERM");
    await expect.poll(() => started.logged("draining: new requests are refused, the ones in flight may finish"), { timeout: 5_000 }).toMatchObject({
      inFlight: 1,
    });
    const refused = await startChat(started.url, "late");
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: SHUTTING_DOWN });

    const chunks = await answer;
    expect(chunks.at(-1)).toMatchObject({ done: true });
    expect(chunks.map((chunk) => chunk.message?.content ?? "").join("")).toBe(words(40));
    expect(await started.exited).toBe(0);
    expect(started.logged("drained")).toMatchObject({ finished: 1, aborted: 0 });
    expect(ollama.requests.filter((request) => request.path === "/api/chat")).toHaveLength(1);
  });

  it("cuts off a stream still running when the grace is over, aborting its request to Ollama, and exits 0", async () => {
    ollama = await startFakeOllama({ models: { m: { decodeTokensPerSecond: 20, answer: words(600) } } });
    const started = await startWorkerProcess({ OLLAMA_URL: ollama.url, WORKER_SHUTDOWN_GRACE_SECONDS: "1" });
    const response = await startChat(started.url, "long");
    const reader = response.body!.getReader();
    await reader.read();
    const answer = readRest(reader).then(
      () => "ended",
      () => "cut",
    );
    const upstream = await ollama.waitForRequest((request) => request.path === "/api/chat");

    const signalledAt = performance.now();
    started.child.kill("SIGINT");
    expect(await started.exited).toBe(0);
    const shutdownMs = performance.now() - signalledAt;
    // It waited out the grace, and did not wait for the 30 s stream (or the default 30 s grace).
    expect(shutdownMs).toBeGreaterThanOrEqual(1_000);
    expect(shutdownMs).toBeLessThan(6_000);
    expect((await ollama.waitForSettled(upstream.id)).aborted).toBe(true);
    expect(started.logged("drained")).toMatchObject({ finished: 0, aborted: 1 });
    // The caller sees its stream broken off, not one that looks complete.
    expect(await answer).toBe("cut");
  });

  it("refuses to start with a grace outside 0..3600 s, naming the setting", async () => {
    const child = spawn(process.execPath, [BUNDLE], {
      cwd,
      env: { PATH: process.env.PATH, WORKER_SHUTDOWN_GRACE_SECONDS: "-5" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    worker = child;
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const [code] = await once(child, "close");
    expect(code).toBe(1);
    expect(stderr).toContain('WORKER_SHUTDOWN_GRACE_SECONDS="-5" must be a whole number from 0 to 3600');
  });
});
