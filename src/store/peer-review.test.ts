import { describe, expect, it } from "vitest";
import type { Ballot } from "../council/events.js";
import { peerReviewOf } from "./peer-review.js";

const ballot = (reviewer: string, ranking: string[], abstained = false): Ballot => ({
  reviewer,
  abstained,
  ranking: abstained ? [] : ranking,
  scores: abstained ? {} : Object.fromEntries(ranking.map((name, i) => [name, 9 - i])),
  critiques: {},
  repaired: false,
});

const rows = (order: string[]) => order.map((member, i) => ({ member, position: i + 1, borda: 0, copeland: 0, meanScore: null, votes: 1 }));

describe("a council's peer review in its models' names", () => {
  const members = [
    { name: "A", model: "a:1b" },
    { name: "B", model: "b:1b" },
    { name: "C", model: "c:1b" },
    { name: "D", model: "d:1b" },
  ];

  it("measures each ballot's agreement with the final order: the share of its pairs ordered the same way", () => {
    const review = peerReviewOf(
      members,
      [ballot("A", ["B", "C", "D"]), ballot("B", ["D", "C", "A"]), ballot("C", ["B", "D", "A"])],
      { rows: rows(["B", "C", "D", "A"]), consensus: 0.4 },
    );
    expect(review.placed).toEqual(["b:1b", "c:1b", "d:1b", "a:1b"]);
    expect(review.consensus).toBe(0.4);
    // A: B>C ✓, B>D ✓, C>D ✓ → 3/3. B: D>C ✗, D>A ✓, C>A ✓ → 2/3. C: B>D ✓, B>A ✓, D>A ✓ → 3/3.
    expect(review.ballots.map((entry) => entry.agreement)).toEqual([1, 2 / 3, 1]);
    expect(review.ballots[1]).toMatchObject({ by: "b:1b", order: ["d:1b", "c:1b", "a:1b"], scores: [9, 8, 7] });
  });

  it("names a model seated twice by its model, and keeps an abstention without an order", () => {
    const twins = [
      { name: "Llama", model: "llama3.2:3b" },
      { name: "Llama too", model: "llama3.2:3b" },
      { name: "Qwen", model: "qwen2.5:3b" },
    ];
    const review = peerReviewOf(twins, [ballot("Qwen", ["Llama too", "Llama"]), ballot("Llama", [], true)], { rows: rows(["Llama too", "Llama", "Qwen"]), consensus: null });
    expect(review.ballots).toEqual([
      { by: "qwen2.5:3b", order: ["llama3.2:3b", "llama3.2:3b"], scores: [9, 8], agreement: 1 },
      { by: "llama3.2:3b", order: [], scores: [], agreement: null, abstained: true },
    ]);
  });

  it("has an empty order when the council was never ranked", () => {
    expect(peerReviewOf(members, [], undefined)).toEqual({ placed: [], consensus: null, ballots: [] });
  });
});
