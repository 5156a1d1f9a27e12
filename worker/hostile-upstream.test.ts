import type net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { chunk, jsonResponse, startScriptedServer } from "../test-support/scripted-http-server.js";
import { startWorker } from "../test-support/start-worker.js";

// An Ollama that answers badly, on a real socket: the worker must answer that caller with a
// clear failure and release the model's only slot, and the next caller must get its own answer,
// whole, with nothing of the bad one in it.

const TAGS = jsonResponse(JSON.stringify({ models: [{ name: "m:1b", model: "m:1b" }] }));
const line = (content: string, done = false) => `${JSON.stringify({ model: "m:1b", message: { role: "assistant", content }, done })}\n`;
const ndjsonHead = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n";
const goodAnswer = `${ndjsonHead}${chunk(line("right"))}${chunk(line("", true))}0\r\n\r\n`;
const SMUGGLED = line("MIXED: this was meant for someone else");

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A worker (one slot) in front of an Ollama whose first chat answer is `firstAnswer(socket)`. */
async function workerBefore(firstAnswer: (socket: net.Socket) => void) {
  let chats = 0;
  const ollama = await startScriptedServer((socket, request) => {
    if (request.startsWith("GET /api/tags")) return socket.write(TAGS);
    chats += 1;
    if (chats === 1) firstAnswer(socket);
    else socket.write(goodAnswer);
  });
  cleanups.push(ollama.close);
  const worker = await startWorker(ollama.url, { WORKER_PARALLEL: 1 });
  cleanups.push(worker.close);
  return { worker, ollama };
}

async function chat(workerUrl: string) {
  const response = await fetch(`${workerUrl}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: "m:1b", messages: [{ role: "user", content: "hi" }] }),
  });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

async function expectNextCallerServedWhole(workerUrl: string) {
  const next = await chat(workerUrl);
  expect(next).toEqual({ status: 200, type: "application/x-ndjson", text: line("right") + line("", true) });
}

describe("a malformed answer from Ollama", () => {
  it("framed two ways (Content-Length and chunked): a 502 before any byte, and no surplus for the next caller", async () => {
    const { worker, ollama } = await workerBefore((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${line("yours").length}\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(line("yours"))}${chunk(SMUGGLED)}0\r\n\r\n`),
    );
    const first = await chat(worker.url);
    expect(first.status).toBe(502);
    expect(JSON.parse(first.text)).toEqual({
      error: `Ollama at ${ollama.url} answered POST /api/chat with a response that is not valid HTTP/1.1 (its Content-Length disagrees with its body or comes with Transfer-Encoding); is that URL really Ollama?`,
    });
    await expectNextCallerServedWhole(worker.url);
  });

  it("with status 000: a 502 at once, not a wait for a final answer that never comes", async () => {
    const { worker, ollama } = await workerBefore((socket) => socket.write(`HTTP/1.1 000 Nothing\r\nContent-Length: 2\r\n\r\n{}${SMUGGLED}`));
    const first = await chat(worker.url);
    expect(first.status).toBe(502);
    expect(JSON.parse(first.text).error).toBe(
      `Ollama at ${ollama.url} answered POST /api/chat with a response that is not valid HTTP/1.1 (assert(statusCode >= 100)); is that URL really Ollama?`,
    );
    await expectNextCallerServedWhole(worker.url);
  });

  it.each([
    ["a bare CR", "application/x-ndjson\rX-Injected: yes"],
    ["a bare LF", "application/x-ndjson\nX-Injected: yes"],
    ["a control byte", "application/x-nd\x01json"],
  ])("with %s in a header: a 502 naming it, and the slot is free again", async (_what, contentType) => {
    const { worker } = await workerBefore((socket) => socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(SMUGGLED)}0\r\n\r\n`));
    const first = await chat(worker.url);
    expect(first.status).toBe(502);
    expect(JSON.parse(first.text).error).toMatch(/answered POST \/api\/chat with a response that is not valid HTTP\/1\.1 \(.+\); is that URL really Ollama\?$/);
    await expectNextCallerServedWhole(worker.url);
  });

  it("reset mid-body: the caller's stream ends with an error line naming the cause, never looking complete", async () => {
    const { worker, ollama } = await workerBefore((socket) => {
      socket.write(`${ndjsonHead}${chunk(line("half an ans"))}`);
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const first = await chat(worker.url);
    expect(first.status).toBe(200);
    expect(first.text).toBe(
      line("half an ans") + `${JSON.stringify({ error: `Ollama at ${ollama.url} closed the connection before the answer ended; did it crash or restart?` })}\n`,
    );
    await expectNextCallerServedWhole(worker.url);
    await expect.poll(() => worker.logs.text()).toContain('"streamError":"Ollama at');
  });

  it("late bytes after a complete answer: that connection is dropped, and they reach nobody", async () => {
    const { worker, ollama } = await workerBefore((socket) => {
      socket.write(goodAnswer);
      setTimeout(() => socket.write(`${ndjsonHead}${chunk(SMUGGLED)}0\r\n\r\n`), 30);
    });
    expect((await chat(worker.url)).text).toBe(line("right") + line("", true));
    await expect.poll(() => ollama.connections.some((socket) => socket.destroyed)).toBe(true);
    await expectNextCallerServedWhole(worker.url);
  });
});
