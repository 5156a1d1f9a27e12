// When a worker is down, busy, or has lost a model: the call moves on or waits, as long as its
// signal and timeout allow, and the caller only hears about it when nothing can run.
import { describe, expect, it } from "vitest";
import { startFakeOllama } from "../../test-support/fake-ollama/index.js";
import { LlmBusyError, LlmUnreachableError } from "./errors.js";
import { createLlmRouter } from "./router.js";
import { answerOf, chatRequest, closedPort, collect, rejectionOf, useServers } from "./test-helpers.js";

const servers = useServers();
const chatsAt = (fake: { requests: readonly { path: string }[] }) => fake.requests.filter((r) => r.path === "/api/chat").length;
const tagsAt = (fake: { requests: readonly { path: string }[] }) => fake.requests.filter((r) => r.path === "/api/tags").length;

describe("a worker that is down", () => {
  it("a call that finds its worker gone moves to another with the model, and the dead one is marked down", async () => {
    const doomed = await servers.fake({ models: { m: { answer: "from the first" } } });
    const spare = await servers.fake({ models: { m: { answer: "from the spare" } } });
    const router = createLlmRouter({ urls: [doomed.url, spare.url] });
    await router.probe();
    await doomed.close();

    expect(await answerOf(router, chatRequest("m"))).toBe("from the spare");

    const [down, up] = router.status();
    expect(down).toMatchObject({ url: doomed.url, reachable: false, lastError: expect.stringContaining("ECONNREFUSED") });
    expect(up).toMatchObject({ reachable: true, inFlight: 0 });
  });

  it("skips a worker that is down until the probe interval has passed, then looks again", async () => {
    let clock = 0;
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const router = createLlmRouter({ urls: [url], probeIntervalMs: 10_000, now: () => clock });

    const first = await rejectionOf(answerOf(router, chatRequest("m")));
    expect(first).toBeInstanceOf(LlmUnreachableError);
    expect(first).toMatchObject({ url });

    const revived = await startFakeOllama({ port, models: { m: { answer: "back" } } });
    try {
      clock = 9_999;
      await expect(answerOf(router, chatRequest("m"))).rejects.toBeInstanceOf(LlmUnreachableError);
      expect(revived.requests).toHaveLength(0); // not asked again before the interval

      clock = 10_000;
      expect(await answerOf(router, chatRequest("m"))).toBe("back");
      expect(tagsAt(revived)).toBe(1);
      expect(router.status()[0]).toMatchObject({ reachable: true, models: ["m:latest"] });
      expect(router.status()[0]).not.toHaveProperty("lastError");
    } finally {
      await revived.close();
    }
  });

  it("every worker unreachable: LlmUnreachableError naming each URL", async () => {
    const urls = [`http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`];
    const router = createLlmRouter({ urls });

    const error = await rejectionOf(answerOf(router, chatRequest("m")));

    expect(error).toBeInstanceOf(LlmUnreachableError);
    for (const url of urls) expect((error as Error).message).toContain(url);
  });

  it("blames the down worker, not a missing pull, when the up ones lack the model", async () => {
    const up = await servers.fake({ models: { other: {} } });
    const downUrl = `http://127.0.0.1:${await closedPort()}`;
    const router = createLlmRouter({ urls: [up.url, downUrl] });

    const error = await rejectionOf(answerOf(router, chatRequest("m")));

    expect(error).toBeInstanceOf(LlmUnreachableError);
    expect(error).toMatchObject({ url: downUrl });
  });

  it("does not fail over after the first delta: the answer has begun, the error is the caller's", async () => {
    const cut = await servers.fake({ models: { m: { fault: { kind: "cut", afterTokens: 2 } } } });
    const spare = await servers.fake({ models: { m: {} } });
    const router = createLlmRouter({ urls: [cut.url, spare.url] });

    await expect(answerOf(router, chatRequest("m"))).rejects.toMatchObject({ kind: "bad-response" });
    expect(chatsAt(spare)).toBe(0);
  });
});

describe("a worker that is busy", () => {
  it("moves the call at once to another worker with the model", async () => {
    const busy = await servers.fake({ models: { m: { fault: { kind: "http-error", status: 503 } } } });
    const free = await servers.fake({ models: { m: { answer: "from the free one" } } });
    const router = createLlmRouter({ urls: [busy.url, free.url] });

    expect(await answerOf(router, chatRequest("m"))).toBe("from the free one");
    expect([chatsAt(busy), chatsAt(free)]).toEqual([1, 1]);
    expect(router.status()[0]).toMatchObject({ reachable: true, inFlight: 0 });
  });

  it("retries the same worker after Retry-After when it is the only one with the model", async () => {
    const fake = await servers.fake({ models: { m: { answer: "served on retry", fault: { kind: "http-error", status: 503, times: 1 } } } });
    const router = createLlmRouter({ urls: [fake.url] });

    expect(await answerOf(router, chatRequest("m"))).toBe("served on retry");

    const [refused, served] = fake.requests.filter((r) => r.path === "/api/chat");
    expect(refused?.status).toBe(503);
    expect(served?.status).toBe(200);
    // Retry-After was absent, so the router waited the default second before asking again.
    expect(served!.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(900);
  });

  it("fails at once with LlmBusyError when Retry-After lies beyond the call's timeout", async () => {
    const fake = await servers.fake({ models: { m: { fault: { kind: "http-error", status: 503 } } } });
    const router = createLlmRouter({ urls: [fake.url] });

    // The fake sends no Retry-After: the default second is more than this call has.
    const error = await rejectionOf(collect(router.chat(chatRequest("m"), { signal: new AbortController().signal, timeoutMs: 500 })));

    expect(error).toBeInstanceOf(LlmBusyError);
    expect(error).toMatchObject({ url: fake.url, retryAfterMs: 1000 });
    expect(chatsAt(fake)).toBe(1);
  });

  it("stops waiting when the caller aborts", async () => {
    const fake = await servers.fake({ models: { m: { fault: { kind: "http-error", status: 503 } } } });
    const router = createLlmRouter({ urls: [fake.url] });
    const caller = new AbortController();
    const reason = new Error("the user cancelled");

    const call = rejectionOf(answerOf(router, chatRequest("m"), caller.signal));
    await fake.waitForRequest((r) => r.status === 503);
    caller.abort(reason);

    expect(await call).toBe(reason);
    expect(chatsAt(fake)).toBe(1);
  });
});

describe("a worker that lost a model", () => {
  it("reads the tags of a worker that answers 404 for a model it listed, and moves on", async () => {
    const forgetful = await servers.fake({ models: { m: {} } });
    const holder = await servers.fake({ models: { m: { answer: "still here" } } });
    const router = createLlmRouter({ urls: [forgetful.url, holder.url] });
    await router.probe();
    forgetful.removeModel("m");

    expect(await answerOf(router, chatRequest("m"))).toBe("still here");
    expect(tagsAt(forgetful)).toBe(2);
    expect(router.status()[0]?.models).toEqual([]);
  });

  it("finds a model pulled after the tags were read, once they are older than the interval", async () => {
    let clock = 0;
    const fake = await servers.fake({ models: { other: {} } });
    const router = createLlmRouter({ urls: [fake.url], probeIntervalMs: 10_000, now: () => clock });
    await router.probe();
    fake.setModel("fresh", { answer: "just pulled" });

    clock = 5_000;
    await expect(answerOf(router, chatRequest("fresh"))).rejects.toMatchObject({ kind: "model-missing" });
    clock = 10_000;
    expect(await answerOf(router, chatRequest("fresh"))).toBe("just pulled");
  });
});
