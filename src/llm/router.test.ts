// Which worker takes a call: one whose tags list the model, the least busy first.
import { describe, expect, it } from "vitest";
import { LlmTimeoutError, ModelMissingError } from "./errors.js";
import { createLlmRouter } from "./router.js";
import { answerOf, chatRequest, collect, rejectionOf, useServers } from "./test-helpers.js";

const servers = useServers();
const stuck = { fault: { kind: "hang", afterTokens: 1 }, parallel: 8 } as const;

describe("choosing a worker", () => {
  it("sends each call to the worker with the fewest calls in flight", async () => {
    const first = await servers.fake({ models: { m: stuck } });
    const second = await servers.fake({ models: { m: stuck } });
    const router = createLlmRouter({ urls: [first.url, second.url] });
    const caller = new AbortController();
    const open = async () => {
      const parts = router.chat(chatRequest("m"), { signal: caller.signal })[Symbol.asyncIterator]();
      await parts.next(); // placed and streaming
      return parts;
    };

    const calls = [await open(), await open(), await open()];

    const chats = (fake: typeof first) => fake.requests.filter((r) => r.path === "/api/chat").length;
    // 1st: tie, the first listed; 2nd: the idle one; 3rd: tie again.
    expect([chats(first), chats(second)]).toEqual([2, 1]);
    expect(router.status().map((worker) => worker.inFlight)).toEqual([2, 1]);
    caller.abort();
    await Promise.all(calls.map((parts) => parts.next().catch(() => undefined)));
    expect(router.status().map((worker) => worker.inFlight)).toEqual([0, 0]);
  });

  it("sends a call only to a worker that has the model, under any spelling of its name", async () => {
    const members = await servers.fake({ models: { "qwen2.5:7b": { answer: "from members" } } });
    const chairman = await servers.fake({ models: { "llama3.1": { answer: "from chairman" } } });
    const router = createLlmRouter({ urls: [members.url, chairman.url] });

    expect(await answerOf(router, chatRequest("llama3.1:latest"))).toBe("from chairman");
    expect(await answerOf(router, chatRequest("Qwen2.5:7b"))).toBe("from members");
    expect(await answerOf(router, chatRequest("llama3.1"))).toBe("from chairman");
    expect(members.requests.filter((r) => r.path === "/api/chat").map((r) => r.model)).toEqual(["Qwen2.5:7b"]);
  });

  it("a model on no worker: ModelMissingError telling what to pull, and on which machine", async () => {
    const fake = await servers.fake({ models: { other: {} } });
    const router = createLlmRouter({ urls: [fake.url] });

    const error = await rejectionOf(answerOf(router, chatRequest("mistral:7b")));

    expect(error).toBeInstanceOf(ModelMissingError);
    expect((error as Error).message).toBe(`model mistral:7b is not installed at ${fake.url} (WORKER_URLS); run \`ollama pull mistral:7b\` on that machine`);
    expect(fake.requests.some((r) => r.path === "/api/chat")).toBe(false);
  });

  it("the chairman's model missing: names CHAIRMAN_URL's machine, not a worker", async () => {
    const fake = await servers.fake({ models: { other: {} } });
    const router = createLlmRouter({ urls: [fake.url], setting: "CHAIRMAN_URL" });
    const error = await rejectionOf(answerOf(router, chatRequest("llama3.1:8b")));
    expect((error as Error).message).toBe(`model llama3.1:8b is not installed at ${fake.url} (CHAIRMAN_URL); run \`ollama pull llama3.1:8b\` on that machine`);
  });

  it("a model on none of several workers: names them all", async () => {
    const [a, b] = [await servers.fake({ models: { other: {} } }), await servers.fake({ models: { other: {} } })];
    const router = createLlmRouter({ urls: [a.url, b.url] });
    const error = await rejectionOf(answerOf(router, chatRequest("mistral:7b")));
    expect((error as Error).message).toBe(`model mistral:7b is on none of WORKER_URLS (${a.url}, ${b.url}); run \`ollama pull mistral:7b\` on the machine of one of them`);
  });

  it("reads each worker's tags once, not once per call", async () => {
    const fake = await servers.fake({ models: { m: {} } });
    const router = createLlmRouter({ urls: [fake.url] });

    await Promise.all([answerOf(router, chatRequest("m")), answerOf(router, chatRequest("m")), answerOf(router, chatRequest("m"))]);

    expect(fake.requests.filter((r) => r.path === "/api/tags")).toHaveLength(1);
  });

  it("routes preload like chat, with the model's num_ctx and keep_alive", async () => {
    const without = await servers.fake({ models: { other: {} } });
    const holder = await servers.fake({ models: { m: {} } });
    const router = createLlmRouter({ urls: [without.url, holder.url] });

    await router.preload("m", 4096, "30m");

    expect(holder.requests.find((r) => r.path === "/api/chat")).toMatchObject({ numCtx: 4096, keepAlive: "30m", doneReason: "load" });
    expect(without.requests.some((r) => r.path === "/api/chat")).toBe(false);
    await expect(router.preload("ghost", 4096, "30m")).rejects.toBeInstanceOf(ModelMissingError);
  });

  it("breaking out of a routed call aborts it at the worker and frees its place", async () => {
    const fake = await servers.fake({ models: { m: { answer: "word ".repeat(40).trim(), decodeTokensPerSecond: 20 } } });
    const router = createLlmRouter({ urls: [fake.url] });

    for await (const part of router.chat(chatRequest("m"), { signal: new AbortController().signal })) {
      expect(part.type).toBe("delta");
      break;
    }

    const chat = fake.requests.find((r) => r.path === "/api/chat");
    expect((await fake.waitForSettled(chat!.id)).aborted).toBe(true);
    expect(router.status()[0]?.inFlight).toBe(0);
  });
});

describe("deadlines", () => {
  it("a routed call that outlives its timeout fails with LlmTimeoutError and is aborted at the worker", async () => {
    const fake = await servers.fake({ models: { m: stuck } });
    const router = createLlmRouter({ urls: [fake.url] });

    const error = await rejectionOf(collect(router.chat(chatRequest("m"), { signal: new AbortController().signal, timeoutMs: 300 })));

    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ model: "m", timeoutMs: 300 });
    const chat = fake.requests.find((r) => r.path === "/api/chat");
    expect((await fake.waitForSettled(chat!.id)).aborted).toBe(true);
    expect(router.status()[0]?.inFlight).toBe(0);
  });
});

describe("status and probe", () => {
  it("knows nothing before the first probe, then reports each worker's models", async () => {
    const fake = await servers.fake({ models: { m: {}, "qwen2.5:7b": {} } });
    const router = createLlmRouter({ urls: [fake.url] });

    expect(router.status()).toEqual([{ url: fake.url, reachable: undefined, models: [], inFlight: 0 }]);
    const [reported] = await router.probe();

    expect(reported).toMatchObject({ url: fake.url, reachable: true, inFlight: 0 });
    expect(reported?.models.sort()).toEqual(["m:latest", "qwen2.5:7b"]);
    expect(reported).not.toHaveProperty("lastError");
  });
});
