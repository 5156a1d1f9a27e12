import type { RecordedCouncil } from "./recorded-councils.js";

// Three councils whose every statistic is worked out by hand in src/insights/statistics.test.ts.

export const HOUR = 3_600_000;
export const NOW = 1_800_000_000_000;
export const A = "a:1b";
export const B = "b:1b";
export const C = "c:1b";

export const COUNCILS: RecordedCouncil[] = [
  {
    id: "c1",
    at: NOW - HOUR,
    platform: "discord",
    members: [
      { name: "Ann", model: A, answer: { wallMs: 1000, firstTokenMs: 100, promptTokens: 50, completionTokens: 100, evalMs: 2000 } },
      { name: "Bob", model: B, answer: { wallMs: 3000, firstTokenMs: 300, promptTokens: 50, completionTokens: 200, evalMs: 4000 } },
      { name: "Cat", model: C, answer: { wallMs: 2000, firstTokenMs: 200, promptTokens: 50, completionTokens: 60, evalMs: 1000 } },
    ],
    ballots: [
      { reviewer: "Ann", ranking: [["Bob", 8], ["Cat", 6]] },
      { reviewer: "Bob", ranking: [["Ann", 7], ["Cat", 7]] },
      { reviewer: "Cat", ranking: [["Bob", 9], ["Ann", 4]] },
    ],
    ranking: { order: ["Bob", "Ann", "Cat"], consensus: 0.6 },
    byStage: { answers: 3000, review: 1500, synthesis: 4000 },
    chairman: { model: "chair:8b", wallMs: 4000, promptTokens: 400, completionTokens: 300, evalMs: 3000 },
  },
  {
    id: "c2",
    at: NOW - 48 * HOUR,
    platform: "slack",
    status: "partial",
    members: [
      { name: "Ann", model: A, answer: { wallMs: 2000, firstTokenMs: 150, promptTokens: 60, completionTokens: 140, evalMs: 2000 } },
      { name: "Bob", model: B, answer: { wallMs: 1000, firstTokenMs: 100, promptTokens: 60, completionTokens: 80, evalMs: 1000 } },
      { name: "Cat", model: C, answer: { failure: "timeout" } },
    ],
    ballots: [{ reviewer: "Ann", ranking: [["Bob", 5]] }, { reviewer: "Bob", abstained: true }],
    ranking: { order: ["Bob", "Ann"], consensus: null },
    byStage: { answers: 2000, review: 1000 },
  },
  {
    id: "c3",
    at: NOW - 20 * 24 * HOUR,
    platform: "console",
    preset: "quick",
    status: "failed",
    members: [
      { name: "Ann", model: A, answer: { failure: "unreachable" } },
      { name: "Bob", model: B, answer: { failure: "unreachable" } },
    ],
    byStage: { answers: 500 },
  },
];

