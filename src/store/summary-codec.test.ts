import { describe, expect, it } from "vitest";
import type { CouncilSummary } from "./council-summary.js";
import { decodeSummaries, encodeSummary, SummaryFormatError } from "./summary-codec.js";

const LISTS = new Map([
  [1, ["a:1b", "b:1b", "chair:8b"]],
  [2, ["c:1b"]],
]);

const FULL: CouncilSummary = {
  models: ["a:1b", "b:1b", "chair:8b"],
  stages: { answers: 4000, review: 2500, synthesis: 6000 },
  calls: [
    [0, "answers", null, 80, 300, 3000, 4000, 250],
    [1, "answers", "timeout", 0, 0, 0, 120_000, null],
    [0, "review", "bad-response", 0, 0, 0, 900, null],
    [2, "synthesis", null, 1800, 600, 9000, 6000, 1200],
  ],
  review: { placed: [0, 1], consensus: 0.667, ballots: [[0, [1], [7.5], null], [1, null]] },
};
const BARE: CouncilSummary = { models: ["c:1b"], stages: {}, calls: [] };

describe("councils' summaries as the store keeps them", () => {
  it("gives back what was stored, council after council in one hour's blob", () => {
    const hour = Buffer.concat([encodeSummary(FULL, 1, 10), encodeSummary(BARE, 2, 3_599_999)]);
    expect(decodeSummaries(hour, LISTS)).toEqual([FULL, BARE]);
  });

  it("keeps numbers large and negative, and a council in a few bytes per figure", () => {
    const big: CouncilSummary = { models: ["c:1b"], stages: { answers: 2_000_000_000 }, calls: [[0, "answers", null, 131_072, 0, 0, 1, null]] };
    expect(decodeSummaries(encodeSummary(big, 2, 0), LISTS)).toEqual([big]);
    expect(encodeSummary(BARE, 2, 0).length).toBeLessThan(16);
  });

  it("refuses a cut blob, an unknown version or model list, rather than read past them", () => {
    const entry = encodeSummary(FULL, 1, 0);
    expect(() => decodeSummaries(entry.subarray(0, entry.length - 8), LISTS)).toThrow(SummaryFormatError);
    expect(() => decodeSummaries(encodeSummary(FULL, 9, 0), LISTS)).toThrow("a council summary names a model list the store does not have");
    // The fourth integer is the version: 1, zigzagged to one byte of 2, after the length, the ms and the list (a byte each here).
    const foreign = Buffer.from(entry);
    expect(foreign[3]).toBe(2);
    foreign[3] = 14;
    expect(() => decodeSummaries(foreign, LISTS)).toThrow("a council summary is of an unknown version");
    expect(() => decodeSummaries(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), LISTS)).toThrow("a council summary holds a number too large to be one of ours");
  });
});
