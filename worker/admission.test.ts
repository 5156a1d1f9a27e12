import { describe, expect, it } from "vitest";
import { createAdmission } from "./admission.js";
import { QueueFullError } from "./errors.js";

const open = () => new AbortController().signal;

describe("admission per model", () => {
  it("lets at most `parallel` through and serves the waiters in arrival order", async () => {
    const admission = createAdmission({ parallel: 2, queue: 10 });
    const first = await admission.acquire("m", open());
    const second = await admission.acquire("m", open());
    const order: number[] = [];
    const waiters = [3, 4, 5].map((n) => admission.acquire("m", open()).then((release) => (order.push(n), release)));
    expect(admission.stats()).toEqual([{ model: "m", busy: 2, queued: 3, parallel: 2 }]);

    first();
    second();
    const [third, fourth] = await Promise.all(waiters.slice(0, 2));
    expect(order).toEqual([3, 4]);
    third?.();
    await waiters[2];
    expect(order).toEqual([3, 4, 5]);
    fourth?.();
  });

  it("keeps models apart", async () => {
    const admission = createAdmission({ parallel: 1, queue: 0 });
    await admission.acquire("a", open());
    await expect(admission.acquire("b", open())).resolves.toBeTypeOf("function");
  });

  it("refuses beyond the queue bound with a Retry-After hint", async () => {
    const admission = createAdmission({ parallel: 1, queue: 1 });
    await admission.acquire("m", open());
    void admission.acquire("m", open());
    const refusal = await admission.acquire("m", open()).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(QueueFullError);
    const error = refusal as QueueFullError;
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.headers()["retry-after"]).toBe(String(error.retryAfterSeconds));
  });

  it("drops a waiter whose caller went away, so it never takes a slot", async () => {
    const admission = createAdmission({ parallel: 1, queue: 5 });
    const holder = await admission.acquire("m", open());
    const gone = new AbortController();
    const abandoned = admission.acquire("m", gone.signal);
    const next = admission.acquire("m", open());
    gone.abort(new Error("caller left"));
    await expect(abandoned).rejects.toThrow("caller left");
    expect(admission.stats()[0]?.queued).toBe(1);
    holder();
    const release = await next;
    release();
    expect(admission.stats()[0]).toMatchObject({ busy: 0, queued: 0 });
  });

  it("ignores a second release of the same slot", async () => {
    const admission = createAdmission({ parallel: 1, queue: 5 });
    const release = await admission.acquire("m", open());
    release();
    release();
    expect(admission.stats()[0]?.busy).toBe(0);
  });

  it("bases Retry-After on how long slots are held", async () => {
    let clock = 0;
    const admission = createAdmission({ parallel: 1, queue: 1, now: () => clock });
    for (let i = 0; i < 20; i++) {
      const release = await admission.acquire("m", open());
      clock += 20_000;
      release();
    }
    await admission.acquire("m", open());
    void admission.acquire("m", open());
    const error = (await admission.acquire("m", open()).catch((e: unknown) => e)) as QueueFullError;
    expect(error.retryAfterSeconds).toBeGreaterThan(20);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });
});
