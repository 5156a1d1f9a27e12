import { describe, expect, it } from "vitest";
import { budgetSamples } from "./budget.js";
import { mcnemarExact } from "./mcnemar.js";
import { pairedBootstrap } from "./paired-bootstrap.js";
import { wilsonInterval } from "./wilson.js";

describe("Wilson's interval", () => {
  it("matches the values computed by hand", () => {
    // 8 of 10: centre (0.8 + 1.92/10) / 1.384 = 0.7167, half-width 1.4160 * sqrt(0.016 + 0.0096) = 0.2266.
    const [low, high] = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
    // 0 of 20 stays at 0 and reaches 3.84 / 23.84 = 0.1611.
    const [zero, top] = wilsonInterval(0, 20);
    expect(zero).toBe(0);
    expect(top).toBeCloseTo(0.1611, 4);
  });

  it("knows nothing from no trials", () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe("McNemar's exact test", () => {
  it("matches the binomial tails computed by hand", () => {
    // 1 against 9: 2 * (1 + 10) / 2^10.
    expect(mcnemarExact(1, 9)).toBeCloseTo(22 / 1024, 12);
    expect(mcnemarExact(9, 1)).toBeCloseTo(22 / 1024, 12);
    // 0 against 5: 2 / 32.
    expect(mcnemarExact(0, 5)).toBeCloseTo(0.0625, 12);
    // 3 against 3 is no evidence at all: capped at 1.
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  it("stays finite for thousands of discordant items", () => {
    const p = mcnemarExact(1400, 1600);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.001);
  });
});

describe("the paired bootstrap", () => {
  it("is exact where the outcome cannot vary", () => {
    expect(pairedBootstrap([true, true, true], [false, false, false])).toEqual({ difference: 1, interval: [1, 1] });
    expect(pairedBootstrap([true, false], [true, false])).toEqual({ difference: 0, interval: [0, 0] });
  });

  it("spans the resampled differences: one right of two has means 0, 0.5 and 1", () => {
    const { difference, interval } = pairedBootstrap([true, false], [false, false], { resamples: 4000, seed: 3 });
    expect(difference).toBe(0.5);
    expect(interval).toEqual([0, 1]);
  });

  it("is the same for the same seed, and is paired: agreement narrows it", () => {
    const a = Array.from({ length: 100 }, (_, i) => i % 10 < 7);
    const b = Array.from({ length: 100 }, (_, i) => i % 10 < 6);
    const first = pairedBootstrap(a, b, { seed: 9 });
    expect(pairedBootstrap(a, b, { seed: 9 })).toEqual(first);
    expect(first.difference).toBeCloseTo(0.1, 10);
    // Only 10 items differ, all for A: by hand the resampled count of them is Binomial(100, 0.1), so the interval is about 0.1 ± 1.96 * 0.03.
    expect(first.interval[0]).toBeGreaterThan(0.03);
    expect(first.interval[0]).toBeLessThan(0.06);
    expect(first.interval[1]).toBeGreaterThan(0.14);
    expect(first.interval[1]).toBeLessThan(0.17);
  });

  it("refuses unpaired outcomes", () => {
    expect(() => pairedBootstrap([true], [true, false])).toThrow(RangeError);
  });
});

describe("the equal-budget vote's samples", () => {
  it("match the council's tokens per item, at least one and at most 32", () => {
    expect(budgetSamples(1200, 100)).toBe(12);
    expect(budgetSamples(1250, 100)).toBe(13);
    expect(budgetSamples(50, 100)).toBe(1);
    expect(budgetSamples(100_000, 100)).toBe(32);
    expect(budgetSamples(1000, 0)).toBe(1);
  });
});
