import { setTimeout as delay } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPEAT_IS_SAME_MS } from "../config/stop-signals.js";
import { type FakeOllamaServer, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { freePort } from "../test-support/free-port.js";
import { cpuSecondsOf, createNpmProject, type NpmProject, type NpmRun } from "../test-support/npm-project.js";

// `npm run worker` stopped the way a supervisor stops it (SIGTERM to npm's pid) while a
// generation streams: the worker drains, npm exits with the worker's code, and nothing of the
// group is left; a second signal cuts the stream off at once. And the same stop when the reader
// of its log has gone (`npm run worker | head`).

const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(" ");

let project: NpmProject;
let ollama: FakeOllamaServer;

beforeEach(async () => {
  project = await createNpmProject();
});
afterEach(async () => {
  await project.remove();
  await ollama.close();
});

/** `npm run worker` in front of a fake Ollama whose model streams `answerWords` words at 20 a second. */
async function startWorker(answerWords: number): Promise<{ worker: NpmRun; url: string }> {
  ollama = await startFakeOllama({ models: { m: { decodeTokensPerSecond: 20, answer: words(answerWords) } } });
  const port = await freePort();
  const worker = project.run(["run", "worker"], { OLLAMA_URL: ollama.url, WORKER_PORT: String(port), LOG_LEVEL: "info" });
  await worker.waitForLog("worker ready", 60_000);
  return { worker, url: `http://127.0.0.1:${port}` };
}

/** Starts a streamed chat and resolves once its first chunk arrived; `rest` resolves with the whole text read, ending in "[cut]" if it was cut off. */
async function streamChat(url: string): Promise<{ rest: Promise<string> }> {
  const response = await fetch(`${url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "go" }] }) });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = decoder.decode((await reader.read()).value, { stream: true });
  const rest = (async () => {
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += decoder.decode(part.value, { stream: true });
    return text;
  })();
  return { rest: rest.catch(() => `${text}[cut]`) };
}

describe("npm run worker, stopped while a generation streams", () => {
  it("on SIGTERM to npm: lets the stream finish, exits 0 through npm, and leaves no process behind", async () => {
    const { worker, url } = await startWorker(40);
    const answer = (await streamChat(url)).rest;

    process.kill(worker.pid, "SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await worker.survivors()).toEqual([]);
    expect(await answer).toMatch(/"done":true/);
    expect(worker.logs().find((entry) => entry.msg === "drained")).toMatchObject({ finished: 1, aborted: 0 });
  }, 120_000);

  it("on a second SIGTERM: cuts the stream off at once, aborting its request to Ollama, and npm dies of the signal", async () => {
    // 600 words at 20 a second: the stream would go on for 30 s, as long as the default grace.
    const { worker, url } = await startWorker(600);
    const answer = (await streamChat(url)).rest;
    const upstream = await ollama.waitForRequest((request) => request.path === "/api/chat");

    process.kill(worker.pid, "SIGTERM");
    await worker.waitForLog("draining: new requests are refused, the ones in flight may finish");
    await delay(REPEAT_IS_SAME_MS + 200);
    process.kill(worker.pid, "SIGTERM");

    expect(await worker.exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(await worker.survivors()).toEqual([]);
    expect(await answer).toMatch(/\[cut\]$/);
    expect((await ollama.waitForSettled(upstream.id)).aborted).toBe(true);
    expect(worker.logs().find((entry) => entry.msg === "second signal: stopping at once")).toMatchObject({ signal: "SIGTERM" });
  }, 120_000);
});

describe("npm run worker, its log piped into a reader that has gone", () => {
  it("logs into the closed pipe without spinning, and still stops on SIGTERM, exiting 0", async () => {
    const { worker, url } = await startWorker(10);
    worker.child.stdout?.destroy();
    // Each request is a log line, now written to a pipe nobody reads.
    for (let i = 0; i < 20; i++) await fetch(`${url}/health`).then((response) => response.arrayBuffer());
    await (await streamChat(url)).rest;

    const pid = await worker.scriptPid();
    const before = await cpuSecondsOf(pid);
    await delay(2_000);
    // Idle, it uses next to nothing; a loop retrying the write would use most of the 2 s.
    expect((await cpuSecondsOf(pid)) - before).toBeLessThan(0.5);

    process.kill(worker.pid, "SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await worker.survivors()).toEqual([]);
  }, 120_000);
});
