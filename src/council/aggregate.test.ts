import { describe, expect, it } from "vitest";
import { aggregate } from "./aggregate.js";
import type { Ballot } from "./events.js";

const ballot = (reviewer: string, ranking: string[], scores: Record<string, number> = {}): Ballot => ({
  reviewer,
  abstained: false,
  ranking,
  scores,
  critiques: {},
  repaired: false,
});
const abstained = (reviewer: string): Ballot => ({ reviewer, abstained: true, reason: "x", ranking: [], scores: {}, critiques: {}, repaired: false });

describe("aggregate", () => {
  it("ranks by normalised Borda over non-self votes", () => {
    const result = aggregate(
      ["A", "B", "C", "D"],
      [ballot("A", ["B", "C", "D"]), ballot("B", ["A", "C", "D"]), ballot("C", ["B", "A", "D"]), ballot("D", ["B", "A", "C"])],
    );
    expect(result.rows.map((row) => [row.member, row.borda, row.votes])).toEqual([
      ["B", 1, 3],
      ["A", 0.667, 3],
      ["C", 0.333, 3],
      ["D", 0, 3],
    ]);
    expect(result.rows.map((row) => row.position)).toEqual([1, 2, 3, 4]);
  });

  it("breaks a Borda tie by pairwise wins, then by mean score", () => {
    // B and C tie on Borda; B beats C on the ballots that rank both.
    const copeland = aggregate(["A", "B", "C"], [ballot("A", ["B", "C"]), ballot("B", ["C", "A"]), ballot("C", ["B", "A"])]);
    expect(copeland.rows.map((row) => row.member)).toEqual(["B", "C", "A"]);
    expect(copeland.rows.find((row) => row.member === "B")?.copeland).toBe(2);
    // A perfect cycle: only the scores can separate them.
    const scores = aggregate(
      ["A", "B", "C"],
      [ballot("A", ["B", "C"], { B: 6, C: 5 }), ballot("B", ["C", "A"], { C: 9, A: 4 }), ballot("C", ["A", "B"], { A: 7, B: 8 })],
    );
    expect(scores.rows.map((row) => [row.member, row.meanScore])).toEqual([
      ["B", 7],
      ["C", 7],
      ["A", 5.5],
    ]);
  });

  it("ignores abstentions: fewer votes, never invented points", () => {
    const result = aggregate(["A", "B", "C"], [abstained("A"), ballot("B", ["A", "C"], { A: 8, C: 3 }), ballot("C", ["A", "B"], { A: 9, B: 2 })]);
    expect(result.rows.map((row) => [row.member, row.votes, row.meanScore])).toEqual([
      ["A", 2, 8.5],
      ["C", 1, 3],
      ["B", 1, 2],
    ]);
  });

  it("ranks by mean score in pairwise mode", () => {
    const result = aggregate(["A", "B"], [ballot("A", ["B"], { B: 4 }), ballot("B", ["A"], { A: 9 })], "mean-score");
    expect(result.rows.map((row) => row.member)).toEqual(["A", "B"]);
  });

  it("measures consensus as agreement with the council's order, in [0, 1]", () => {
    const unanimous = aggregate(["A", "B", "C", "D"], [ballot("A", ["B", "C", "D"]), ballot("B", ["A", "C", "D"]), ballot("C", ["A", "B", "D"]), ballot("D", ["A", "B", "C"])]);
    expect(unanimous.consensus).toBe(1);
    const split = aggregate(["A", "B", "C", "D"], [ballot("A", ["B", "C", "D"]), ballot("B", ["D", "C", "A"]), ballot("C", ["A", "B", "D"]), ballot("D", ["C", "B", "A"])]);
    expect(split.consensus).toBeGreaterThan(0);
    expect(split.consensus).toBeLessThan(1);
    expect(aggregate(["A", "B"], [ballot("A", ["B"]), ballot("B", ["A"])]).consensus).toBeNull();
  });
});
