import { describe, expect, it } from "vitest";
import { createSeededRandom } from "./seeded-random.js";

const draw = (random: () => number, count: number) => Array.from({ length: count }, random);

describe("createSeededRandom", () => {
  it("repeats its sequence for a seed and changes it with the seed", () => {
    expect(draw(createSeededRandom(42), 5)).toEqual(draw(createSeededRandom(42), 5));
    expect(draw(createSeededRandom(43), 5)).not.toEqual(draw(createSeededRandom(42), 5));
  });

  it("draws evenly from [0, 1)", () => {
    const values = draw(createSeededRandom(7), 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const tenths = new Array<number>(10).fill(0);
    for (const value of values) tenths[Math.floor(value * 10)]! += 1;
    // 10,000 expected per tenth; the binomial standard deviation is 95.
    for (const count of tenths) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it("refuses a seed that is not an integer", () => {
    expect(() => createSeededRandom(0.5)).toThrow(/seed must be an integer, got 0.5/);
  });
});
