import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

// One slot, two places in the queue, and a model that never finishes on its own: every
// request holds its slot until its caller hangs up, so the test controls the timeline.

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: { "slow:7b": { parallel: 8, fault: { kind: "hang", afterTokens: 1 } } } });
  worker = await startWorker(ollama.url, { WORKER_PARALLEL: 1, WORKER_QUEUE: 2 });
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

function startChat(label: string) {
  const caller = new AbortController();
  const response = fetch(`${worker.url}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: "slow:7b", messages: [{ role: "user", content: label }] }),
    signal: caller.signal,
  });
  response.catch(() => {});
  return { label, hangUp: () => caller.abort(), response };
}

const reached = (label: string) =>
  ollama.waitForRequest((request) => JSON.stringify(request.body ?? null).includes(`"content":"${label}"`), 5_000);

async function slots() {
  const health = (await (await fetch(`${worker.url}/health/models`)).json()) as {
    slots: Array<{ model: string; busy: number; queued: number }>;
  };
  return health.slots.find((slot) => slot.model === "slow:7b");
}

describe("admission and cancellation", () => {
  it("queues in order up to WORKER_QUEUE, refuses beyond with 503 + Retry-After, and frees slots on hang-up", async () => {
    const first = startChat("first");
    const firstSeen = await reached("first");
    const second = startChat("second");
    const third = startChat("third");
    await expect.poll(slots).toMatchObject({ busy: 1, queued: 2 });

    const refused = await fetch(`${worker.url}/api/chat`, {
      method: "POST",
      body: JSON.stringify({ model: "slow:7b", messages: [{ role: "user", content: "fourth" }] }),
    });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^worker busy: 2 requests already wait for model "slow:7b"; retry in \d+ s$/);

    // The first caller hangs up mid-stream: Ollama's request is aborted and its slot goes to the second.
    await (await first.response).body?.getReader().read();
    first.hangUp();
    expect((await ollama.waitForSettled(firstSeen.id)).aborted).toBe(true);
    const secondSeen = await reached("second");
    expect(ollama.requests.some((request) => JSON.stringify(request.body ?? null).includes("third"))).toBe(false);

    // The third caller hangs up while still queued: it never reaches Ollama.
    third.hangUp();
    await expect.poll(slots).toMatchObject({ busy: 1, queued: 0 });
    second.hangUp();
    expect((await ollama.waitForSettled(secondSeen.id)).aborted).toBe(true);
    await expect.poll(slots).toMatchObject({ busy: 0, queued: 0 });
    expect(ollama.requests.some((request) => JSON.stringify(request.body ?? null).includes("third"))).toBe(false);
    expect(ollama.inFlight("slow:7b")).toBe(0);
  });

  it("logs a caller who hung up as 499", async () => {
    const caller = startChat("fifth");
    const seen = await reached("fifth");
    caller.hangUp();
    await ollama.waitForSettled(seen.id);
    await expect
      .poll(() => worker.logs.entries().some((entry) => entry.status === "499" && entry.model === "slow:7b"))
      .toBe(true);
  });
});
