import { readFileSync } from "node:fs";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { OllamaBadResponseError, OllamaUnreachableError } from "./errors.js";
import { createOllamaUpstream, type UpstreamResponse } from "./ollama-upstream.js";
import { chunk, jsonResponse, type Respond, startScriptedServer } from "../test-support/scripted-http-server.js";

// The worker's client for Ollama (undici underneath) against servers that write exact bytes.

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function scriptedServer(respond: Respond, wrap?: Parameters<typeof startScriptedServer>[1]) {
  const server = await startScriptedServer(respond, wrap);
  cleanups.push(server.close);
  return server;
}

function upstreamFor(url: string, options?: Parameters<typeof createOllamaUpstream>[1]) {
  const upstream = createOllamaUpstream(url, options);
  cleanups.push(upstream.close);
  return upstream;
}

const json = jsonResponse;

function collect(response: UpstreamResponse): Promise<{ text: string; error?: Error }> {
  const pieces: Buffer[] = [];
  return new Promise((resolve) =>
    response.pipeTo({
      data: (payload) => pieces.push(Buffer.from(payload)),
      end: () => resolve({ text: Buffer.concat(pieces).toString() }),
      fail: (error) => resolve({ text: Buffer.concat(pieces).toString(), error }),
    }),
  );
}

const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2_000) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("the worker's client for Ollama", () => {
  it("sends the body it is given, and keeps connections alive for the next requests", async () => {
    const server = await scriptedServer((socket) => socket.write(json('{"version":"0.12.6"}')));
    const upstream = upstreamFor(server.url);
    expect(await upstream.json("GET", "/api/version")).toEqual({ status: 200, body: { version: "0.12.6" } });
    expect(await upstream.json("POST", "/api/show", { model: "m" })).toEqual({ status: 200, body: { version: "0.12.6" } });
    for (let i = 0; i < 8; i++) await upstream.json("GET", "/api/version");
    // undici opens a second connection when a request follows the last one within the same
    // turn; beyond that, the ten requests share the kept-alive ones.
    expect(server.connections.length).toBeLessThanOrEqual(2);
    expect(server.requests[1]).toMatch(/^POST \/api\/show HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\n/i);
    expect(server.requests[1]).toMatch(/content-length: 13\r\n\r\n\{"model":"m"\}$/i);
  });

  it("unframes a chunked stream split anywhere, then hands the connection to the next request", async () => {
    const lines = ['{"message":{"content":"Hel"},"done":false}\n', '{"message":{"content":"lo"},"done":false}\n', '{"done":true,"eval_count":2}\n'];
    const server = await scriptedServer((socket, _request, index) => {
      if (index === 1) return socket.write(json("{}"));
      const bytes = `HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n${lines.map(chunk).join("")}0\r\n\r\n`;
      // Written in 7-byte pieces so sizes, payloads and CRLFs all straddle reads.
      for (let at = 0; at < bytes.length; at += 7) setTimeout(() => socket.write(bytes.slice(at, at + 7)), at / 7);
    });
    const upstream = upstreamFor(server.url);
    const response = await upstream.open({ method: "POST", path: "/api/chat", body: "{}" });
    expect(response).toMatchObject({ status: 200, streamed: true });
    expect(await collect(response)).toEqual({ text: lines.join("") });
    await upstream.json("GET", "/api/tags");
    expect(server.connections.length).toBeLessThanOrEqual(2);
    expect(server.connections[0]?.destroyed).toBe(false);
  });

  it("reads a body framed by the connection closing, and does not reuse that connection", async () => {
    const server = await scriptedServer((socket) => socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"models":[]}'));
    const upstream = upstreamFor(server.url);
    expect(await upstream.json("GET", "/api/tags")).toEqual({ status: 200, body: { models: [] } });
    expect(await upstream.json("GET", "/api/tags")).toEqual({ status: 200, body: { models: [] } });
    expect(server.connections).toHaveLength(2);
  });

  it("refuses an informational 1xx head nobody asked for (Ollama's Go server sends none), naming it", async () => {
    const server = await scriptedServer((socket) => socket.write(`HTTP/1.1 100 Continue\r\n\r\n${json('{"ok":true}')}`));
    const error = await upstreamFor(server.url).json("GET", "/api/ps").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OllamaBadResponseError);
    expect((error as Error).message).toBe(`Ollama at ${server.url} answered GET /api/ps with a response that is not valid HTTP/1.1 (bad response); is that URL really Ollama?`);
  });

  it("keeps the path of an OLLAMA_URL behind a prefix", async () => {
    const server = await scriptedServer((socket) => socket.write(json("{}")));
    await upstreamFor(`${server.url}/ollama/`).json("GET", "/api/version");
    expect(server.requests[0]).toMatch(/^GET \/ollama\/api\/version HTTP\/1\.1\r\n/);
  });

  it("drops an idle connection that Ollama closed, and opens a new one for the next request", async () => {
    const server = await scriptedServer((socket, _request, index) => {
      socket.write(json(`{"answer":${index}}`));
      if (index === 0) setTimeout(() => socket.end(), 10); // Ollama's idle timeout, before the next request
    });
    const upstream = upstreamFor(server.url);
    await upstream.json("GET", "/api/version");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await upstream.json("GET", "/api/version")).toEqual({ status: 200, body: { answer: 1 } });
    expect(server.connections).toHaveLength(2);
  });

  it("sends a request again on a new connection when the kept-alive one closes before any answer", async () => {
    const server = await scriptedServer((socket, _request, index) => {
      if (index === 1) socket.destroy(); // the close crossed the request on the wire
      else socket.write(json(`{"answer":${index}}`));
    });
    const upstream = upstreamFor(server.url);
    await upstream.json("GET", "/api/version");
    expect(await upstream.json("GET", "/api/version")).toEqual({ status: 200, body: { answer: 2 } });
    expect(server.connections).toHaveLength(2);
  });

  it("reports a body cut short as a failure, with what arrived before the cut", async () => {
    const server = await scriptedServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunk('{"done":false}\n')}`);
      setTimeout(() => socket.destroy(), 10);
    });
    const response = await upstreamFor(server.url).open({ method: "POST", path: "/api/chat", body: "{}" });
    const { text, error } = await collect(response);
    expect(text).toBe('{"done":false}\n');
    expect(error?.message).toBe(`Ollama at ${server.url} closed the connection before the answer ended; did it crash or restart?`);
  });

  it("closes the connection when the request is aborted, before or after the head", async () => {
    const server = await scriptedServer((socket, request) => {
      if (request.includes("/api/chat")) socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunk("{}\n")}`);
    });
    const upstream = upstreamFor(server.url);
    const beforeHead = new AbortController();
    const pending = upstream.open({ method: "POST", path: "/api/generate", body: "{}", signal: beforeHead.signal });
    await until(() => server.requests.length === 1);
    beforeHead.abort(new Error("the caller left"));
    await expect(pending).rejects.toThrow("the caller left");
    await until(() => server.connections[0]?.readableEnded === true);

    const midBody = new AbortController();
    const response = await upstream.open({ method: "POST", path: "/api/chat", body: "{}", signal: midBody.signal });
    const result = collect(response);
    midBody.abort(new Error("the caller left mid-stream"));
    expect((await result).error?.message).toBe("the caller left mid-stream");
    await until(() => server.connections[1]?.readableEnded === true);
  });

  it("answers 502 naming the URL when Ollama is not listening", async () => {
    const closed = await scriptedServer(() => {});
    cleanups.splice(0).forEach((cleanup) => cleanup());
    const error = await upstreamFor(closed.url).json("GET", "/api/version").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OllamaUnreachableError);
    expect((error as OllamaUnreachableError).status).toBe(502);
    expect((error as Error).message).toBe(`Ollama not reachable at ${closed.url} (ECONNREFUSED); is \`ollama serve\` running there?`);
  });

  it("answers 502 when the bytes that come back are not HTTP", async () => {
    const server = await scriptedServer((socket) => socket.write("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    const error = await upstreamFor(server.url).open({ method: "POST", path: "/api/chat", body: "{}" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OllamaBadResponseError);
    expect((error as Error).message).toBe(`Ollama at ${server.url} answered POST /api/chat with a response that is not valid HTTP/1.1 (Expected HTTP/, RTSP/ or ICE/); is that URL really Ollama?`);
  });

  it("speaks TLS to an https:// OLLAMA_URL", async () => {
    const cert = readFileSync(new URL("../test-support/tls/localhost-cert.pem", import.meta.url));
    const key = readFileSync(new URL("../test-support/tls/localhost-key.pem", import.meta.url));
    const server = await scriptedServer((socket) => socket.write(json('{"version":"tls"}')), (handler) => tls.createServer({ cert, key }, handler));
    const url = server.url.replace("http:", "https:").replace("127.0.0.1", "localhost");
    expect(await upstreamFor(url, { tls: { ca: cert } }).json("GET", "/api/version")).toEqual({ status: 200, body: { version: "tls" } });
  });
});
