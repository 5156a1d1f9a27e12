// Each call owns its cancellation: the caller's signal, its timeout, or leaving the loop ends
// that one request at the fake Ollama and nothing else.
import { describe, expect, it } from "vitest";
import { LlmTimeoutError } from "./errors.js";
import { createOllamaClient } from "./ollama-client.js";
import { chatRequest, collect, rejectionOf, useServers } from "./test-helpers.js";

const servers = useServers();
// 20 tokens at 20 tokens/s: still streaming for about a second after its first token.
const steady = { answer: "one two three four five six seven eight nine ten ".repeat(2).trim(), decodeTokensPerSecond: 20 };
const stuck = { fault: { kind: "hang", afterTokens: 1 } } as const;

describe("cancellation", () => {
  it("aborting one call leaves a parallel call of the same client untouched", async () => {
    const fake = await servers.fake({ models: { stuck, steady } });
    const client = createOllamaClient({ baseUrl: fake.url });
    const caller = new AbortController();
    const stopped = client.chat(chatRequest("stuck"), { signal: caller.signal })[Symbol.asyncIterator]();
    const running = client.chat(chatRequest("steady"), { signal: new AbortController().signal })[Symbol.asyncIterator]();
    expect((await stopped.next()).value).toMatchObject({ type: "delta" });
    expect((await running.next()).value).toMatchObject({ type: "delta" });

    const reason = new Error("the user cancelled");
    caller.abort(reason);

    expect(await rejectionOf(stopped.next())).toBe(reason);
    const rest = await collect({ [Symbol.asyncIterator]: () => running });
    expect(rest.at(-1)).toMatchObject({ type: "done", usage: { completionTokens: 20 } });
    const stuckRecord = fake.requests.find((r) => r.model === "stuck");
    expect((await fake.waitForSettled(stuckRecord!.id)).aborted).toBe(true);
    expect(fake.requests.filter((r) => r.aborted).map((r) => r.model)).toEqual(["stuck"]);
    expect(fake.requests.find((r) => r.model === "steady")).toMatchObject({ completed: true, aborted: false });
  });

  it("breaking out of the loop aborts the request", async () => {
    const fake = await servers.fake({ models: { steady } });
    const client = createOllamaClient({ baseUrl: fake.url });

    let deltas = 0;
    for await (const part of client.chat(chatRequest("steady"), { signal: new AbortController().signal })) {
      if (part.type === "delta") deltas += 1;
      break;
    }

    expect(deltas).toBe(1);
    const [record] = fake.requests;
    const settled = await fake.waitForSettled(record!.id);
    expect(settled).toMatchObject({ aborted: true, completed: false });
    expect(settled.completionTokens).toBeLessThan(20);
  });

  it("fails with LlmTimeoutError when the timeout fires, and the request is aborted", async () => {
    const fake = await servers.fake({ models: { silent: { fault: { kind: "hang" } } } });
    const client = createOllamaClient({ baseUrl: fake.url });

    const error = await rejectionOf(collect(client.chat(chatRequest("silent"), { signal: new AbortController().signal, timeoutMs: 200 })));

    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ kind: "timeout", model: "silent", timeoutMs: 200 });
    const [record] = fake.requests;
    expect((await fake.waitForSettled(record!.id)).aborted).toBe(true);
  });

  it("times out mid-stream too, not only while waiting for headers", async () => {
    const fake = await servers.fake({ models: { stuck } });
    const client = createOllamaClient({ baseUrl: fake.url });
    const parts: string[] = [];

    const error = await rejectionOf(
      (async () => {
        for await (const part of client.chat(chatRequest("stuck"), { signal: new AbortController().signal, timeoutMs: 300 })) parts.push(part.type);
      })(),
    );

    expect(parts).toEqual(["delta"]);
    expect(error).toBeInstanceOf(LlmTimeoutError);
  });

  it("fails with the signal's reason without sending anything when it is already aborted", async () => {
    const fake = await servers.fake({ models: { steady } });
    const client = createOllamaClient({ baseUrl: fake.url });
    const reason = new Error("too late");

    const error = await rejectionOf(collect(client.chat(chatRequest("steady"), { signal: AbortSignal.abort(reason) })));

    expect(error).toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });
});
