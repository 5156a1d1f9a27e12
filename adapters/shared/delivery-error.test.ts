import { describe, expect, it } from "vitest";
import { DeliveryError, type DeliveryErrorKind, deliverWithRetries, isDeliveryError, toDeliveryError } from "./delivery-error.js";

describe("DeliveryError", () => {
  it.each<[DeliveryErrorKind, boolean]>([
    ["rate-limited", true],
    ["transient", true],
    ["gone", false],
    ["forbidden", false],
    ["invalid", false],
    ["expired", false],
  ])("%s is retryable: %s", (kind, retryable) => {
    const error = new DeliveryError(kind);
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DeliveryError");
  });

  it("keeps the retry-after and the SDK's error", () => {
    const cause = Object.assign(new Error("You are being rate limited."), { status: 429 });
    const error = new DeliveryError("rate-limited", { retryAfterMs: 1500, cause });
    expect(error.retryAfterMs).toBe(1500);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain("1500 ms");
  });

  it("turns an unclassified error into a non-retryable invalid one, keeping it as the cause", () => {
    const bug = new TypeError("x is undefined");
    const wrapped = toDeliveryError(bug);
    expect(wrapped).toMatchObject({ kind: "invalid", retryable: false, cause: bug });
    const known = new DeliveryError("gone");
    expect(toDeliveryError(known)).toBe(known);
    expect(isDeliveryError(known)).toBe(true);
    expect(isDeliveryError(bug)).toBe(false);
  });
});

describe("deliverWithRetries", () => {
  it("tries a transient failure again, honouring Retry-After, and returns what was delivered", async () => {
    const failures = [new DeliveryError("transient"), new DeliveryError("rate-limited", { retryAfterMs: 5 })];
    let calls = 0;
    const delivered = await deliverWithRetries(async () => {
      calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return "card";
    }, 3, 1);
    expect(delivered).toBe("card");
    expect(calls).toBe(3);
  });

  it("gives up at once on a failure that cannot pass, and after the last attempt on one that could", async () => {
    let calls = 0;
    await expect(deliverWithRetries(async () => {
      calls += 1;
      throw new DeliveryError("gone");
    })).rejects.toMatchObject({ kind: "gone" });
    expect(calls).toBe(1);
    calls = 0;
    await expect(deliverWithRetries(async () => {
      calls += 1;
      throw new DeliveryError("transient");
    }, 2, 1)).rejects.toMatchObject({ kind: "transient" });
    expect(calls).toBe(2);
  });
});
