import { describe, expect, it } from "vitest";
import { DeliveryError, type DeliveryErrorKind } from "./delivery-error.js";
import { createFakeClock, type FakeClock } from "./fake-clock.js";
import { createLiveMessage, type LiveErrorContext, type LiveMessageOptions, type Schedule } from "./live-message.js";

interface Call {
  content: string;
  at: number;
  result: "ok" | DeliveryErrorKind;
}

/** A platform that shows what it is sent, fails the calls it is told to, and records when each came. */
function fakePlatform(clock: FakeClock, options: { takesMs?: number } = {}) {
  const calls: Call[] = [];
  const failures: (DeliveryError | undefined)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const deliver = async (content: string): Promise<void> => {
    const at = clock.now();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.takesMs) await clock.sleep(options.takesMs);
      const failure = failures.shift();
      calls.push({ content, at, result: failure?.kind ?? "ok" });
      if (failure) throw failure;
    } finally {
      inFlight -= 1;
    }
  };
  return {
    deliver,
    calls,
    /** The next calls fail with these, in order (undefined: that call succeeds). */
    fail: (...errors: (DeliveryError | undefined)[]) => failures.push(...errors),
    delivered: () => calls.filter((call) => call.result === "ok").map((call) => call.content),
    shown: () => calls.filter((call) => call.result === "ok").at(-1)?.content,
    maxInFlight: () => maxInFlight,
  };
}

function setup(options: Partial<LiveMessageOptions<string>> & { takesMs?: number } = {}) {
  const clock = createFakeClock();
  const platform = fakePlatform(clock, { takesMs: options.takesMs ?? 0 });
  const errors: { kind: DeliveryErrorKind; context: LiveErrorContext }[] = [];
  const message = createLiveMessage<string>({
    deliver: platform.deliver,
    minIntervalMs: 1000,
    now: clock.now,
    sleep: clock.sleep,
    onError: (error, context) => errors.push({ kind: error.kind, context }),
    ...options,
  });
  return { clock, platform, message, errors };
}

const rateLimited = (retryAfterMs?: number) => new DeliveryError("rate-limited", retryAfterMs === undefined ? {} : { retryAfterMs });
const serverError = () => new DeliveryError("transient", { cause: new Error("503") });

describe("createLiveMessage: coalescing and spacing", () => {
  it("delivers the first update at once", async () => {
    const { clock, platform, message } = setup();
    message.update("a");
    await clock.settle();
    expect(platform.calls).toEqual([{ content: "a", at: 0, result: "ok" }]);
  });

  it("turns updates made in the same tick into one delivery of the last", async () => {
    const { clock, platform, message } = setup();
    for (let i = 1; i <= 10; i++) message.update(`u${i}`);
    await clock.advance(5000);
    expect(platform.delivered()).toEqual(["u10"]);
    expect(message.stats()).toMatchObject({ attempted: 1, delivered: 1, superseded: 9 });
  });

  it("coalesces 10 rapid updates into a handful of deliveries, the last always among them", async () => {
    const { clock, platform, message } = setup();
    for (let i = 1; i <= 10; i++) {
      message.update(`u${i}`);
      await clock.advance(150);
    }
    await clock.advance(5000);
    // 1.5 s of updates at one delivery per second: the first, one a second later, then the last.
    expect(platform.delivered()).toEqual(["u1", "u7", "u10"]);
    expect(platform.calls.map((call) => call.at)).toEqual([0, 1000, 2000]);
    expect(message.stats().superseded).toBe(7);
  });

  it("keeps at least minIntervalMs between deliveries under a steady stream", async () => {
    const { clock, platform, message } = setup({ minIntervalMs: 1000 });
    for (let i = 0; i < 50; i++) {
      message.update(`u${i}`);
      await clock.advance(100);
    }
    await clock.advance(2000);
    const times = platform.calls.map((call) => call.at);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(platform.calls.length).toBe(6); // 5 s of updates: t = 0, 1, 2, 3, 4, then the last at 5
    expect(platform.shown()).toBe("u49");
  });

  it("never has two deliveries in flight, even when one takes longer than the interval", async () => {
    const { clock, platform, message } = setup({ minIntervalMs: 200, takesMs: 1500 });
    for (let i = 0; i < 30; i++) {
      message.update(`u${i}`);
      await clock.advance(100);
    }
    await clock.advance(10_000);
    expect(platform.maxInFlight()).toBe(1);
    expect(platform.shown()).toBe("u29");
  });

  it("does not block the caller while a delivery is in flight", async () => {
    const { clock, platform, message } = setup({ takesMs: 60_000 });
    message.update("slow");
    await clock.settle();
    const returned = message.update("next");
    expect(returned).toBeUndefined();
    expect(platform.calls).toEqual([]); // the first is still in flight; update() came straight back
  });
});

describe("createLiveMessage: finish", () => {
  it("delivers the final state after the one in flight, respecting the interval", async () => {
    const { clock, platform, message } = setup({ takesMs: 300 });
    message.update("stage 1");
    await clock.advance(100);
    const outcome = message.finish("final");
    await clock.advance(5000);
    expect(await outcome).toEqual({ delivered: true });
    expect(platform.calls.map(({ content, at }) => ({ content, at }))).toEqual([
      { content: "stage 1", at: 0 },
      { content: "final", at: 1000 },
    ]);
  });

  it("supersedes a waiting update with the final state", async () => {
    const { clock, platform, message } = setup();
    message.update("u1");
    await clock.advance(10);
    message.update("u2");
    const outcome = message.finish("final");
    await clock.advance(2000);
    expect(await outcome).toEqual({ delivered: true });
    expect(platform.delivered()).toEqual(["u1", "final"]);
  });

  it("ignores updates after finish, and a second finish returns the first outcome", async () => {
    const { clock, platform, message } = setup();
    const first = message.finish("final");
    message.update("late");
    const second = message.finish("other");
    await clock.advance(5000);
    expect(second).toBe(first);
    expect(platform.delivered()).toEqual(["final"]);
  });

  it("delivers the final state after a failed intermediate one", async () => {
    const { clock, platform, message, errors } = setup();
    platform.fail(serverError());
    message.update("stage 2");
    await clock.advance(10);
    const outcome = message.finish("final");
    await clock.advance(5000);
    expect(await outcome).toEqual({ delivered: true });
    expect(platform.calls.map(({ content, result }) => [content, result])).toEqual([
      ["stage 2", "transient"],
      ["final", "ok"],
    ]);
    expect(errors).toEqual([{ kind: "transient", context: { final: false, attempt: 1, willRetry: false } }]);
  });

  it("does not retry an intermediate update that failed transiently: the next one supersedes it", async () => {
    const { clock, platform, message } = setup();
    platform.fail(serverError());
    message.update("stage 2");
    await clock.advance(30_000);
    expect(platform.calls).toHaveLength(1);
    message.update("stage 3");
    await clock.advance(10);
    expect(platform.delivered()).toEqual(["stage 3"]);
  });
});

describe("createLiveMessage: rate limits and retries", () => {
  it("honours a 429's retry-after before the next delivery", async () => {
    const { clock, platform, message } = setup();
    platform.fail(rateLimited(5000));
    message.update("u1");
    await clock.advance(100);
    message.update("u2");
    await clock.advance(10_000);
    expect(platform.calls.map(({ content, at, result }) => [content, at, result])).toEqual([
      ["u1", 0, "rate-limited"],
      ["u2", 5000, "ok"],
    ]);
    expect(message.stats()).toMatchObject({ rateLimited: 1, delivered: 1 });
  });

  it("postpones a rate-limited update rather than dropping it when nothing newer came", async () => {
    const { clock, platform, message, errors } = setup();
    platform.fail(rateLimited(3000));
    message.update("stage 2");
    await clock.advance(10_000);
    expect(platform.calls.map(({ content, at, result }) => [content, at, result])).toEqual([
      ["stage 2", 0, "rate-limited"],
      ["stage 2", 3000, "ok"],
    ]);
    expect(errors[0]?.context).toEqual({ final: false, attempt: 1, willRetry: true });
  });

  it("retries the final state after a 429, waiting its retry-after", async () => {
    const { clock, platform, message } = setup();
    platform.fail(rateLimited(7000));
    const outcome = message.finish("final");
    await clock.advance(6999);
    expect(platform.calls).toHaveLength(1);
    await clock.advance(1);
    expect(await outcome).toEqual({ delivered: true });
    expect(platform.calls.map((call) => call.at)).toEqual([0, 7000]);
    expect(message.stats()).toEqual({ attempted: 2, delivered: 1, rateLimited: 1, retried: 1, superseded: 0 });
  });

  it("retries the final state on 5xx with growing backoff", async () => {
    const { clock, platform, message } = setup({ minIntervalMs: 500 });
    platform.fail(serverError(), serverError(), serverError());
    const outcome = message.finish("final");
    await clock.advance(60_000);
    expect(await outcome).toEqual({ delivered: true });
    // Backoff 1 s, 2 s, 4 s after the failures at 0, 1000 and 3000.
    expect(platform.calls.map(({ at, result }) => [at, result])).toEqual([
      [0, "transient"],
      [1000, "transient"],
      [3000, "transient"],
      [7000, "ok"],
    ]);
    expect(message.stats().retried).toBe(3);
  });

  it("gives up on the final state after maxAttempts and says why", async () => {
    const { clock, platform, message } = setup({ maxAttempts: 3 });
    platform.fail(serverError(), serverError(), serverError(), serverError());
    const outcome = message.finish("final");
    await clock.advance(120_000);
    const result = await outcome;
    expect(result.delivered).toBe(false);
    expect(!result.delivered && result.reason.kind).toBe("transient");
    expect(platform.calls).toHaveLength(3);
  });

  it.each<DeliveryErrorKind>(["gone", "forbidden", "invalid", "expired"])("does not retry a final state refused as %s", async (kind) => {
    const { clock, platform, message } = setup();
    const refusal = new DeliveryError(kind);
    platform.fail(refusal);
    const outcome = message.finish("final");
    await clock.advance(120_000);
    expect(await outcome).toEqual({ delivered: false, reason: refusal });
    expect(platform.calls).toHaveLength(1);
  });

  it("treats an unclassified error as a bug: not retried, reported as invalid with its cause", async () => {
    const clock = createFakeClock();
    const bug = new TypeError("cannot read properties of undefined");
    let calls = 0;
    const message = createLiveMessage<string>({
      deliver: async () => {
        calls += 1;
        throw bug;
      },
      minIntervalMs: 1000,
      now: clock.now,
      sleep: clock.sleep,
    });
    const outcome = message.finish("final");
    await clock.advance(60_000);
    const result = await outcome;
    expect(calls).toBe(1);
    expect(!result.delivered && result.reason.kind).toBe("invalid");
    expect(!result.delivered && result.reason.cause).toBe(bug);
  });
});

describe("createLiveMessage: a message that is gone", () => {
  it("stops after gone on an intermediate update: no more edits, and finish says gone at once", async () => {
    const { clock, platform, message } = setup();
    platform.fail(new DeliveryError("gone"));
    message.update("stage 1");
    await clock.advance(2000);
    message.update("stage 2");
    await clock.advance(2000);
    const outcome = await message.finish("final");
    expect(outcome.delivered === false && outcome.reason.kind).toBe("gone");
    expect(platform.calls).toHaveLength(1);
  });

  it("keeps going after an invalid intermediate update: the next content may be fine", async () => {
    const { clock, platform, message } = setup();
    platform.fail(new DeliveryError("invalid"));
    message.update("too long");
    await clock.advance(2000);
    const outcome = message.finish("final");
    await clock.advance(2000);
    expect(await outcome).toEqual({ delivered: true });
    expect(platform.delivered()).toEqual(["final"]);
  });

  it("a throwing onError does not stop the message", async () => {
    const { clock, platform, message } = setup({
      onError: () => {
        throw new Error("logger down");
      },
    });
    platform.fail(serverError());
    const outcome = message.finish("final");
    await clock.advance(10_000);
    expect(await outcome).toEqual({ delivered: true });
    expect(platform.calls).toHaveLength(2);
  });
});

describe("createLiveMessage: through a shared schedule", () => {
  it("sends every delivery through the schedule, taking the newest content when the job runs", async () => {
    const clock = createFakeClock();
    const platform = fakePlatform(clock);
    const jobs: (() => void)[] = [];
    // A limiter that runs each job only when the test releases it.
    const schedule: Schedule = (task) =>
      new Promise((resolve, reject) => {
        jobs.push(() => void task().then(resolve, reject));
      });
    const message = createLiveMessage<string>({ deliver: platform.deliver, minIntervalMs: 0, schedule, now: clock.now, sleep: clock.sleep });
    message.update("u1");
    await clock.settle();
    message.update("u2");
    message.update("u3");
    expect(jobs).toHaveLength(1);
    jobs.shift()!();
    await clock.settle();
    expect(platform.delivered()).toEqual(["u3"]);
    expect(jobs).toHaveLength(0);
  });

  it("fails the waiting content, without spinning, when the limiter refuses the job", async () => {
    const clock = createFakeClock();
    const platform = fakePlatform(clock);
    const schedule: Schedule = () => Promise.reject(new Error("This limiter has been stopped."));
    const message = createLiveMessage<string>({ deliver: platform.deliver, minIntervalMs: 1000, schedule, now: clock.now, sleep: clock.sleep });
    const outcome = message.finish("final");
    await clock.advance(60_000);
    const result = await outcome;
    expect(!result.delivered && result.reason.kind).toBe("invalid");
    expect(platform.calls).toHaveLength(0);
  });

  it("gives up after maxAttempts when the limiter keeps refusing with a retryable error", async () => {
    const clock = createFakeClock();
    const platform = fakePlatform(clock);
    let refusals = 0;
    const schedule: Schedule = () => {
      refusals += 1;
      return Promise.reject(new DeliveryError("transient"));
    };
    const message = createLiveMessage<string>({ deliver: platform.deliver, minIntervalMs: 1000, maxAttempts: 4, schedule, now: clock.now, sleep: clock.sleep });
    const outcome = message.finish("final");
    await clock.advance(120_000);
    const result = await outcome;
    expect(!result.delivered && result.reason.kind).toBe("transient");
    expect(refusals).toBe(4);
    expect(platform.calls).toHaveLength(0);
  });
});

describe("createLiveMessage: options", () => {
  it("rejects a negative interval and a maxAttempts below 1", () => {
    const deliver = async () => {};
    expect(() => createLiveMessage({ deliver, minIntervalMs: -1 })).toThrow(RangeError);
    expect(() => createLiveMessage({ deliver, minIntervalMs: 0, maxAttempts: 0 })).toThrow(RangeError);
  });
});
