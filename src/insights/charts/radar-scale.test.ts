import { describe, expect, it } from "vitest";
import { scaleProfiles, type ModelProfileRow } from "./radar-scale.js";

const row = (model: string, figures: Partial<ModelProfileRow>): ModelProfileRow => ({
  model,
  rating: null,
  tokensPerSecond: null,
  reliability: null,
  agreement: null,
  completionTokensPerAnswer: null,
  ...figures,
});

describe("scaleProfiles", () => {
  it("scales each axis as its figure means: Elo odds against the best, shares of the largest, shares as they are", () => {
    const [best, behind] = scaleProfiles([
      row("best", { rating: 1200, tokensPerSecond: 40, reliability: 0.9, agreement: 0.75, completionTokensPerAnswer: 200 }),
      row("behind", { rating: 1000, tokensPerSecond: 10, reliability: 0.5, agreement: 0.25, completionTokensPerAnswer: 800 }),
    ]);
    expect(best).toEqual([1, 1, 0.9, 0.75, 0.25]);
    // 200 points behind: expected score 1 / (1 + 10^0.5), doubled.
    expect(behind?.[0]).toBeCloseTo(2 / (1 + Math.sqrt(10)), 10);
    expect(behind?.slice(1)).toEqual([0.25, 0.5, 0.25, 1]);
  });

  it("draws a missing figure at 0, and one model alone is the best on its ratios", () => {
    expect(scaleProfiles([row("new", { tokensPerSecond: 12 })])).toEqual([[0, 1, 0, 0, 0]]);
  });

  it("zero speed everywhere stays 0 instead of dividing by zero", () => {
    expect(scaleProfiles([row("a", { tokensPerSecond: 0 }), row("b", { tokensPerSecond: 0 })])).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it("refuses a negative figure and a share above 1", () => {
    expect(() => scaleProfiles([row("a", { tokensPerSecond: -1 })])).toThrow(/tokensPerSecond is -1; pass a figure of 0 or more/);
    expect(() => scaleProfiles([row("a", { agreement: 1.5 })])).toThrow(/agreement is 1.5; pass a share between 0 and 1/);
  });
});
