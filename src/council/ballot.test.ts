import { describe, expect, it } from "vitest";
import { checkPairwiseScore, checkRankingBallot, rankingBallotSchema } from "./ballot.js";

const valid = {
  reviews: [
    { label: "A", critique: "Accurate\nand short.", score: 8 },
    { label: "B", critique: "Misses the point.", score: 3 },
  ],
  ranking: ["A", "B"],
};

describe("ranking ballots", () => {
  it("accepts a permutation of exactly the labels shown, with a score and a one-line critique each", () => {
    expect(checkRankingBallot(JSON.stringify(valid), ["A", "B"])).toEqual({
      ok: true,
      value: { ranking: ["A", "B"], scores: { A: 8, B: 3 }, critiques: { A: "Accurate and short.", B: "Misses the point." } },
    });
  });

  it.each([
    ["prose", "I think A is best.", "it is not JSON"],
    ["a missing label", { ...valid, ranking: ["A"] }, '"ranking" must list each of A, B exactly once'],
    ["a repeated label", { ...valid, ranking: ["A", "A"] }, '"ranking" must list each of A, B exactly once'],
    ["an unknown label", { ...valid, ranking: ["A", "C"] }, '"ranking" must list each of A, B exactly once'],
    ["a review missing", { ...valid, reviews: valid.reviews.slice(0, 1) }, '"reviews" must review each of A, B exactly once'],
    ["a score out of range", { ...valid, reviews: [{ label: "A", critique: "x", score: 11 }, valid.reviews[1]] }, "a score must be from 1 to 10"],
    ["no ranking", { reviews: valid.reviews }, '"ranking" is missing or of the wrong type'],
  ])("refuses %s", (_case, ballot, problem) => {
    const result = checkRankingBallot(typeof ballot === "string" ? ballot : JSON.stringify(ballot), ["A", "B"]);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problem).toContain(problem);
  });

  it("asks for exactly the labels shown in the JSON Schema", () => {
    const schema = rankingBallotSchema(["A", "B", "C"]) as { properties: { ranking: { items: { enum: string[] }; minItems: number } } };
    expect(schema.properties.ranking.items.enum).toEqual(["A", "B", "C"]);
    expect(schema.properties.ranking.minItems).toBe(3);
  });
});

describe("pairwise scores", () => {
  it("accepts a score and a critique, and refuses anything else", () => {
    expect(checkPairwiseScore('{"critique":"Good.","score":7}')).toEqual({ ok: true, value: { score: 7, critique: "Good." } });
    expect(checkPairwiseScore('{"critique":"Good."}').ok).toBe(false);
    expect(checkPairwiseScore("7/10").ok).toBe(false);
  });
});
