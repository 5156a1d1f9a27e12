import { describe, expect, it } from "vitest";
import type { Ballot } from "../council/events.js";
import { summarizeCouncil } from "./council-summary.js";

const ballot = (reviewer: string, ranking: string[], abstained = false): Ballot => ({
  reviewer,
  abstained,
  ranking: abstained ? [] : ranking,
  scores: abstained ? {} : Object.fromEntries(ranking.map((name, i) => [name, 9 - i])),
  critiques: {},
  repaired: false,
});

const rows = (order: string[]) => order.map((member, i) => ({ member, position: i + 1, borda: 0, copeland: 0, meanScore: null, votes: 1 }));

describe("a council's summary for the statistics", () => {
  const members = [
    { name: "A", model: "a:1b" },
    { name: "B", model: "b:1b" },
    { name: "C", model: "c:1b" },
    { name: "D", model: "d:1b" },
  ];

  it("measures each ballot's agreement with the final order: the share of its pairs ordered the same way", () => {
    const summary = summarizeCouncil({
      members,
      calls: [],
      byStage: { review: 1234.56 },
      ballots: [ballot("A", ["B", "C", "D"]), ballot("B", ["D", "C", "A"]), ballot("C", ["B", "D", "A"])],
      ranking: { rows: rows(["B", "C", "D", "A"]), consensus: 0.41234 },
    });
    expect(summary.stages).toEqual({ review: 1235 });
    // Models are numbered as first met: b (placed first), c, d, a.
    expect(summary.models).toEqual(["b:1b", "c:1b", "d:1b", "a:1b"]);
    // A: B>C ✓, B>D ✓, C>D ✓ → 3/3. B: D>C ✗, D>A ✓, C>A ✓ → 2/3. C: B>D ✓, B>A ✓, D>A ✓ → 3/3.
    expect(summary.review).toEqual({
      placed: [0, 1, 2, 3],
      consensus: 0.412,
      ballots: [
        [3, [0, 1, 2], [9, 8, 7], 1],
        [0, [2, 1, 3], [9, 8, 7], 0.667],
        [1, [0, 2, 3], [9, 8, 7], 1],
      ],
    });
  });

  it("names a model seated twice once, keeps an abstention without an order, and numbers the calls' models", () => {
    const twins = [
      { name: "Llama", model: "llama3.2:3b" },
      { name: "Llama too", model: "llama3.2:3b" },
      { name: "Qwen", model: "qwen2.5:3b" },
    ];
    const summary = summarizeCouncil({
      members: twins,
      calls: [
        { model: "qwen2.5:3b", stage: "answers", promptTokens: 10, completionTokens: 20, evalMs: 300.4, wallMs: 500.6, firstTokenMs: 40.2 },
        { model: "llama3.2:3b", stage: "answers", failure: "timeout", promptTokens: 0, completionTokens: 0, evalMs: 0, wallMs: 9000 },
      ],
      byStage: {},
      ballots: [ballot("Qwen", ["Llama too", "Llama"]), ballot("Llama", [], true)],
      ranking: { rows: rows(["Llama too", "Llama", "Qwen"]), consensus: null },
    });
    expect(summary.models).toEqual(["qwen2.5:3b", "llama3.2:3b"]);
    expect(summary.calls).toEqual([
      [0, "answers", null, 10, 20, 300, 501, 40],
      [1, "answers", "timeout", 0, 0, 0, 9000, null],
    ]);
    expect(summary.review?.ballots).toEqual([
      [0, [1, 1], [9, 8], 1],
      [1, null],
    ]);
  });

  it("has no review when the council was never reviewed", () => {
    expect(summarizeCouncil({ members, calls: [], byStage: { answers: 10 }, ballots: [] })).toEqual({ models: [], stages: { answers: 10 }, calls: [] });
  });
});
