import { describe, expect, it } from "vitest";
import { createCouncilGate, DEFAULT_BUSY_RETRY_AFTER_MS, type GateEntry } from "./council-gate.js";

function clock(start = 0) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

function admitted(entry: GateEntry): Extract<GateEntry, { admitted: true }> {
  if (!entry.admitted) throw new Error(`refused: ${entry.reason}`);
  return entry;
}

describe("createCouncilGate", () => {
  it("admits up to maxInFlight councils, then says busy until one leaves", () => {
    const time = clock();
    const gate = createCouncilGate({ maxInFlight: 2, userCooldownMs: 0, now: time.now });
    const a = admitted(gate.tryEnter("ann"));
    admitted(gate.tryEnter("bob"));
    expect(gate.inFlight()).toBe(2);
    expect(gate.tryEnter("cat")).toEqual({ admitted: false, reason: "busy", retryAfterMs: DEFAULT_BUSY_RETRY_AFTER_MS });
    a.leave();
    expect(gate.inFlight()).toBe(1);
    admitted(gate.tryEnter("cat"));
  });

  it("makes leave() idempotent: a council that ends twice frees one place", () => {
    const gate = createCouncilGate({ maxInFlight: 2, userCooldownMs: 0 });
    const a = admitted(gate.tryEnter("ann"));
    admitted(gate.tryEnter("bob"));
    a.leave();
    a.leave();
    expect(gate.inFlight()).toBe(1);
    admitted(gate.tryEnter("cat"));
    expect(gate.tryEnter("dan")).toMatchObject({ admitted: false, reason: "busy" });
  });

  it("holds a user back for the cooldown, counted from their last admission, whether or not it ended", () => {
    const time = clock(1000);
    const gate = createCouncilGate({ maxInFlight: 5, userCooldownMs: 30_000, now: time.now });
    admitted(gate.tryEnter("ann")).leave();
    time.advance(10_000);
    expect(gate.tryEnter("ann")).toEqual({ admitted: false, reason: "cooldown", retryAfterMs: 20_000 });
    admitted(gate.tryEnter("bob")); // other users are not held back
    time.advance(19_999);
    expect(gate.tryEnter("ann")).toMatchObject({ admitted: false, reason: "cooldown", retryAfterMs: 1 });
    time.advance(1);
    admitted(gate.tryEnter("ann"));
  });

  it("does not start a cooldown for a refused request", () => {
    const time = clock();
    const gate = createCouncilGate({ maxInFlight: 1, userCooldownMs: 30_000, now: time.now });
    const a = admitted(gate.tryEnter("ann"));
    expect(gate.tryEnter("bob")).toMatchObject({ reason: "busy" });
    a.leave();
    time.advance(1);
    admitted(gate.tryEnter("bob"));
  });

  it("reports the cooldown before busy, since only the cooldown is the user's own to wait out", () => {
    const time = clock();
    const gate = createCouncilGate({ maxInFlight: 1, userCooldownMs: 60_000, busyRetryAfterMs: 5000, now: time.now });
    admitted(gate.tryEnter("ann"));
    time.advance(1000);
    expect(gate.tryEnter("ann")).toEqual({ admitted: false, reason: "cooldown", retryAfterMs: 59_000 });
    expect(gate.tryEnter("bob")).toEqual({ admitted: false, reason: "busy", retryAfterMs: 5000 });
  });

  it("admits each of many users again once their own cooldown is over", () => {
    const time = clock();
    const gate = createCouncilGate({ maxInFlight: 1, userCooldownMs: 1000, now: time.now });
    for (let i = 0; i < 1000; i++) {
      admitted(gate.tryEnter(`user${i}`)).leave();
      time.advance(10);
    }
    // Only the last 100 users (10 ms apart, 1 s cooldown) are still held back.
    expect(gate.tryEnter("user899")).toMatchObject({ admitted: true });
    expect(gate.tryEnter("user999")).toMatchObject({ admitted: false, reason: "cooldown" });
  });

  it("rejects settings that would admit nobody or go back in time", () => {
    expect(() => createCouncilGate({ maxInFlight: 0, userCooldownMs: 0 })).toThrow(RangeError);
    expect(() => createCouncilGate({ maxInFlight: 1.5, userCooldownMs: 0 })).toThrow(RangeError);
    expect(() => createCouncilGate({ maxInFlight: 1, userCooldownMs: -1 })).toThrow(RangeError);
  });
});
