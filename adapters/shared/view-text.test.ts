import { describe, expect, it } from "vitest";
import type { CouncilEvent, VerdictSource } from "../../src/council/events.js";
import { summarize } from "../../src/council/usage.js";
import { fold } from "../../test-support/scripted-councils.js";
import { footerSegments, memberStatus, stageLine, verdictHeading } from "./view-text.js";

// The words the terminal, the Discord card and the Slack blocks share.

const started: CouncilEvent = {
  type: "council-started",
  question: "Capital of Australia?",
  preset: "facts",
  strategy: "majority",
  review: "ranking",
  debateRounds: 0,
  members: [
    { name: "Llama", model: "llama3.2:3b" },
    { name: "Qwen", model: "qwen2.5:3b" },
    { name: "Gemma", model: "gemma2:2b" },
    { name: "Phi", model: "phi3:mini" },
  ],
  chairman: null,
  stages: ["answers"],
};

const finished = (extra: Partial<Extract<CouncilEvent, { type: "council-finished" }>> = {}): CouncilEvent => ({
  type: "council-finished",
  status: "completed",
  usage: summarize([]),
  latency: { totalMs: 2100, byStage: { answers: 2100 } },
  ...extra,
});

const majorityBy = (by: Partial<Extract<VerdictSource, { kind: "majority" }>>): VerdictSource => ({
  kind: "majority",
  member: "Llama",
  votes: 3,
  of: 4,
  weighted: false,
  majority: true,
  backers: 3,
  ...by,
});

const headingFor = (by: VerdictSource) => verdictHeading(fold([started, { type: "verdict", text: "Canberra", by }, finished()]));

describe("verdictHeading", () => {
  it("names a majority's answer with its votes", () => {
    expect(headingFor(majorityBy({}))).toBe("Answer: the majority's, by Llama (3 of 4 votes)");
  });

  it("says when the most common answer is no majority", () => {
    expect(headingFor(majorityBy({ votes: 2, backers: 2, majority: false }))).toBe("No majority: the most common answer, by Llama (2 of 4 votes)");
  });

  it("says when every member answered differently", () => {
    expect(headingFor(majorityBy({ votes: 1, backers: 1, majority: false }))).toBe(
      "No majority: every member gave a different answer; shown is Llama's (1 of 4 votes)",
    );
  });

  it("counts weighted votes as such", () => {
    expect(headingFor(majorityBy({ votes: 7.5, of: 20, backers: 2, weighted: true, majority: false }))).toBe(
      "No majority: the most common answer, by Llama (7.5 of 20 votes, weighted by peer scores)",
    );
  });

  const split = [6, 1, 1, 1, 1, 1].map((votes, index) => ({ answer: String(40 + index), votes }));
  it("shows a vote's winner, its share as confidence and the split, the tail of the split summed", () => {
    expect(headingFor({ kind: "vote", selection: "plurality", member: "Llama", answer: "40", votes: 6, of: 11, confidence: 0.545, split })).toBe(
      "Answer: 40 by vote, 6 of 11 samples (confidence 55%), as Llama gave it · split 40 ×6 · 41 ×1 · 42 ×1 · 43 ×1 · others ×2",
    );
  });

  it("names the member a confident-member vote chose", () => {
    expect(headingFor({ kind: "vote", selection: "confident-member", member: "Qwen", answer: "B", votes: 3, of: 3, confidence: 1, split: [{ answer: "B", votes: 5 }, { answer: "C", votes: 4 }] })).toBe(
      "Answer: B from Qwen, the most self-consistent member (3 of its 3 samples, confidence 100%) · split B ×5 · C ×4",
    );
  });
});

describe("a cancelled council", () => {
  const view = fold([
    started,
    { type: "stage-started", stage: "answers", expectedCalls: 4 },
    { type: "member-failed", stage: "answers", member: "Llama", error: { kind: "cancelled", message: "the council was cancelled" } },
    finished({ status: "failed", reason: "the council was cancelled", cancelled: true }),
  ]);

  it("is reported as cancelled, not failed", () => {
    expect(stageLine(view)).toBe("Council cancelled in 2.1 s");
  });

  it("shows the members it cut off as cancelled", () => {
    expect(memberStatus(view.members[0]!)).toBe("cancelled");
  });

  it("still reports a council that failed on its own as failed", () => {
    expect(stageLine(fold([started, finished({ status: "failed", reason: "every member failed: x" })]))).toBe("Council failed in 2.1 s: every member failed: x");
  });
});

describe("the footer's tokens", () => {
  const call = { model: "chair:8b", stage: "synthesis" as const, startMs: 0, wallMs: 1, completionTokens: 1, loadMs: 0, promptEvalMs: 1, evalMs: 1, totalMs: 1, doneReason: "stop" };

  it("says how many prompt tokens the chairman read ahead, and the time that saved", () => {
    const usage = summarize([
      { ...call, promptTokens: 830, prefill: true, promptEvalMs: 5_530 },
      { ...call, promptTokens: 200, cachedTokens: 830 },
    ]);
    expect(footerSegments({ ...fold([]), usage }).tokens).toEqual([
      "Tokens: 1,030 prompt / 2 completion / 1,032 total",
      "1000 tokens/s generated",
      "830 read ahead by the chairman (saved 5.5 s)",
    ]);
  });

  it("says nothing of it when nothing was read ahead", () => {
    expect(footerSegments({ ...fold([]), usage: summarize([{ ...call, promptTokens: 100 }]) }).tokens).toHaveLength(2);
  });
});
