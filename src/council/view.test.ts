import { describe, expect, it } from "vitest";
import type { CouncilEvent } from "./events.js";
import { type CallStats, summarize } from "./usage.js";
import { type DeliberationView, emptyView, reduce } from "./view.js";

const stats = (stage: CallStats["stage"], completionTokens: number): CallStats => ({
  model: "m",
  stage,
  startMs: 0,
  wallMs: 1000,
  promptTokens: 10,
  completionTokens,
  loadMs: 0,
  promptEvalMs: 5,
  evalMs: 500,
  totalMs: 600,
  doneReason: "stop",
});

const started: CouncilEvent = {
  type: "council-started",
  question: "Capital?",
  preset: "balanced",
  strategy: "synthesis",
  review: "ranking",
  debateRounds: 1,
  members: [
    { name: "Alpha", model: "a" },
    { name: "Beta", model: "b" },
  ],
  chairman: "c",
  stages: ["answers", "debate", "review", "synthesis"],
};

const fold = (events: CouncilEvent[]): DeliberationView => events.reduce(reduce, emptyView());

describe("the deliberation view", () => {
  it.each<[string, CouncilEvent[], (view: DeliberationView) => unknown, unknown]>([
    ["plans the stages and seats the members", [started], (v) => [v.stages.map((s) => s.status), v.members.map((m) => m.status)], [["pending", "pending", "pending", "pending"], ["thinking", "thinking"]]],
    [
      "counts a stage's progress",
      [started, { type: "stage-started", stage: "answers", expectedCalls: 2 }, { type: "member-answered", stage: "answers", member: "Alpha", answer: "Paris", stats: stats("answers", 3) }],
      (v) => v.stages[0],
      { name: "answers", status: "running", expectedCalls: 2, doneCalls: 1 },
    ],
    [
      "streams a member's text, then keeps the final answer",
      [
        started,
        { type: "member-delta", stage: "answers", member: "Alpha", text: "Par" },
        { type: "member-delta", stage: "answers", member: "Alpha", text: "is" },
      ],
      (v) => v.members[0]?.text,
      "Paris",
    ],
    [
      "restarts the text when a debate revision streams",
      [
        started,
        { type: "member-answered", stage: "answers", member: "Alpha", answer: "Paris", stats: stats("answers", 3) },
        { type: "member-delta", stage: "debate", member: "Alpha", text: "Revised" },
      ],
      (v) => v.members[0]?.text,
      "Revised",
    ],
    [
      "keeps the earlier answer when a revision fails",
      [
        started,
        { type: "member-answered", stage: "answers", member: "Alpha", answer: "Paris", stats: stats("answers", 3) },
        { type: "member-failed", stage: "debate", member: "Alpha", error: { kind: "timeout", message: "late" } },
      ],
      (v) => [v.members[0]?.status, v.members[0]?.text],
      ["answered", "Paris"],
    ],
    [
      "shows a failed member with its reason",
      [started, { type: "member-failed", stage: "answers", member: "Beta", error: { kind: "model-missing", message: "pull it" } }],
      (v) => v.members[1],
      { status: "failed", error: { kind: "model-missing", message: "pull it" } },
    ],
    [
      "accumulates usage from finished calls",
      [started, { type: "call-finished", stats: stats("answers", 40) }, { type: "call-finished", stats: stats("review", 60) }],
      (v) => [v.usage.completionTokens, v.usage.byStage.answers?.completionTokens, v.usage.tokensPerSecond],
      [100, 40, 100],
    ],
    [
      "streams the verdict, then settles it with its source",
      [started, { type: "verdict-delta", text: "Par" }, { type: "verdict-delta", text: "is." }, { type: "verdict", text: "Paris.", by: { kind: "chairman", model: "c" } }],
      (v) => v.verdict,
      { text: "Paris.", by: { kind: "chairman", model: "c" }, streaming: false },
    ],
    [
      "marks the debate round done and moves on to the next stage of the same name",
      [started, { type: "stage-started", stage: "debate", round: 1, expectedCalls: 2 }, { type: "stage-finished", stage: "debate", round: 1, wallMs: 1200 }],
      (v) => [v.stages[1]?.status, v.latency.byStage.debate],
      ["done", 1200],
    ],
    [
      "ends with the status and the reason",
      [
        started,
        { type: "stage-started", stage: "answers", expectedCalls: 2 },
        {
          type: "council-finished",
          status: "partial",
          reason: "Beta failed",
          usage: summarize([]),
          latency: { totalMs: 5000, byStage: { answers: 5000 } },
        },
      ],
      (v) => [v.status, v.reason, v.latency.totalMs, v.stages[0]?.status],
      ["partial", "Beta failed", 5000, "done"],
    ],
  ])("%s", (_name, events, pick, expected) => {
    const actual = pick(fold(events));
    if (typeof expected === "object" && expected !== null) expect(actual).toMatchObject(expected);
    else expect(actual).toBe(expected);
  });

  it("never mutates the view it is given", () => {
    const before = fold([started]);
    const snapshot = JSON.stringify(before);
    reduce(before, { type: "member-delta", stage: "answers", member: "Alpha", text: "x" });
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});
