import { describe, expect, it } from "vitest";
import { createSeededRandom } from "./seeded-random.js";
import { quantile, spread } from "./quantile.js";

describe("quantiles", () => {
  it("interpolates between order statistics, as R's type 7 does", () => {
    const sorted = [1000, 2000];
    expect(quantile(sorted, 0.5)).toBe(1500);
    expect(quantile(sorted, 0.9)).toBe(1900);
    expect(quantile([], 0.5)).toBeNaN();
    expect(spread([3000, 1000])).toEqual({ median: 2000, p90: 2800 });
    expect(spread([])).toBeNull();
    expect(spread([7])).toEqual({ median: 7, p90: 7 });
  });

  it("finds without sorting what sorting would give, duplicates and all", () => {
    const random = createSeededRandom(3);
    for (const size of [2, 3, 10, 101, 1000, 5000]) {
      const samples = Array.from({ length: size }, () => Math.round(random() * 50));
      const sorted = Float64Array.from(samples).sort();
      expect(spread(samples)).toEqual({ median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) });
    }
  });
});
