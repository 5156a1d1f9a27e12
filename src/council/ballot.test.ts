import { describe, expect, it } from "vitest";
import { checkPairwiseScore, checkRankingBallot, rankingBallotSchema } from "./ballot.js";

const valid = {
  critiques: { A: "Accurate\nand short.", B: "Misses the point." },
  scores: { A: 8, B: 3 },
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
    ["a score missing", { ...valid, scores: { A: 8 } }, '"scores" must have exactly one entry for each of A, B'],
    ["a critique for a label not shown", { ...valid, critiques: { ...valid.critiques, C: "x" } }, '"critiques" must have exactly one entry for each of A, B'],
    ["a score out of range", { ...valid, scores: { A: 11, B: 3 } }, "a score must be from 1 to 10"],
    ["no ranking", { critiques: valid.critiques, scores: valid.scores }, '"ranking" is missing or of the wrong type'],
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
