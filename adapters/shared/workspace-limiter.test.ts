import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeliveryError } from "./delivery-error.js";
import { createLiveMessage } from "./live-message.js";
import { createRateLimiter, type RateLimiter } from "./workspace-limiter.js";

// Bottleneck keeps its own time with Date.now and setTimeout, so these tests move vitest's
// fake timers (which fake both) instead of injecting a clock.

let limiter: RateLimiter | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(async () => {
  await limiter?.stop();
  limiter = undefined;
  vi.useRealTimers();
});

function record() {
  const started: { name: string; at: number }[] = [];
  const task = (name: string) => async () => {
    started.push({ name, at: Date.now() });
    return name;
  };
  return { started, task };
}

describe("createRateLimiter", () => {
  it("runs perMinute jobs, then holds the rest until the budget is refilled a minute later", async () => {
    limiter = createRateLimiter({ perMinute: 3 });
    const { started, task } = record();
    const results = ["a", "b", "c", "d", "e"].map((name) => limiter!.schedule(task(name)));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(started.map((job) => job.name)).toEqual(["a", "b", "c"]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(started.map((job) => job.name)).toEqual(["a", "b", "c", "d", "e"]);
    expect(started[3]!.at).toBeGreaterThanOrEqual(60_000);
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("lets an urgent job (a card's final state) go before the ones already waiting", async () => {
    limiter = createRateLimiter({ perMinute: 1 });
    const { started, task } = record();
    const results = [limiter.schedule(task("first")), limiter.schedule(task("update 1")), limiter.schedule(task("update 2")), limiter.schedule(task("final"), { urgent: true })];
    await vi.advanceTimersByTimeAsync(61_000);
    expect(started.map((job) => job.name)).toEqual(["first", "final"]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await Promise.all(results)).toEqual(["first", "update 1", "update 2", "final"]);
    expect(started.map((job) => job.name)).toEqual(["first", "final", "update 1", "update 2"]);
  });

  it("spaces jobs by minTimeMs", async () => {
    limiter = createRateLimiter({ perMinute: 50, minTimeMs: 1200 });
    const { started, task } = record();
    for (const name of ["a", "b", "c"]) void limiter.schedule(task(name));
    await vi.advanceTimersByTimeAsync(5000);
    // Bottleneck spaces the jobs when it queues them, and its own timers add a millisecond or
    // two before each runs: the spacing holds to within those.
    const [a, b, c] = started.map((job) => job.at) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(1195);
    expect(c - b).toBeGreaterThanOrEqual(1195);
    expect(c).toBeLessThan(2500);
  });

  it("passes a job's failure through to its caller", async () => {
    limiter = createRateLimiter({ perMinute: 5 });
    const refusal = new DeliveryError("forbidden");
    const result = limiter.schedule(() => Promise.reject(refusal));
    const caught = result.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    expect(await caught).toBe(refusal);
  });

  it("rejects the jobs still waiting when stopped", async () => {
    const own = createRateLimiter({ perMinute: 1 });
    const { started, task } = record();
    void own.schedule(task("a"));
    const waiting = own.schedule(task("b")).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    await own.stop();
    await own.stop(); // a second stop is harmless
    await vi.advanceTimersByTimeAsync(120_000);
    expect(await waiting).toBeInstanceOf(Error);
    expect(started.map((job) => job.name)).toEqual(["a"]);
  });

  it("rejects a budget that is not a positive integer", () => {
    expect(() => createRateLimiter({ perMinute: 0 })).toThrow(RangeError);
    expect(() => createRateLimiter({ perMinute: 2.5 })).toThrow(RangeError);
    expect(() => createRateLimiter({ perMinute: 5, minTimeMs: -1 })).toThrow(RangeError);
  });
});

describe("two live messages sharing one workspace limiter", () => {
  it("spend one budget between them, and both final states still arrive after the refill", async () => {
    limiter = createRateLimiter({ perMinute: 4 });
    const sent: { card: string; content: string; at: number }[] = [];
    const card = (name: string) =>
      createLiveMessage<string>({
        deliver: async (content) => {
          sent.push({ card: name, content, at: Date.now() });
        },
        minIntervalMs: 1000,
        schedule: limiter!.schedule,
        now: () => Date.now(),
      });
    const one = card("one");
    const two = card("two");
    // Each alone would make 30 edits in 30 s; together they may make 4 in the first minute.
    for (let i = 0; i < 30; i++) {
      one.update(`one ${i}`);
      two.update(`two ${i}`);
      await vi.advanceTimersByTimeAsync(1000);
    }
    const outcomes = [one.finish("one final"), two.finish("two final")];
    await vi.advanceTimersByTimeAsync(29_000);
    expect(sent.length).toBe(4);
    expect(sent.filter((edit) => edit.card === "one").length).toBeGreaterThan(0);
    expect(sent.filter((edit) => edit.card === "two").length).toBeGreaterThan(0);

    await vi.advanceTimersByTimeAsync(2000);
    expect(await Promise.all(outcomes)).toEqual([{ delivered: true }, { delivered: true }]);
    // After the refill, each card's waiting job takes its newest content: the final state.
    expect(sent.slice(4).map((edit) => edit.content).sort()).toEqual(["one final", "two final"]);
    expect(sent.slice(4).every((edit) => edit.at >= 60_000)).toBe(true);
  });
});
