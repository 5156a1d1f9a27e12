import { expect, it } from "vitest";
import { failedCouncil, failedMemberCouncil, fold, MISSING_MODEL, UNREACHABLE } from "../test-support/scripted-councils.js";
import type { CouncilEvent } from "./council/events.js";
import { createRecentErrors } from "./recent-errors.js";

// What /council-health lists: failures an admin should look at, not councils someone stopped.

const entries = (errors: ReturnType<typeof createRecentErrors>) => errors.list().map(({ where, message }) => [where, message]);

it("lists a council's failed members and the council's own failure, newest first", () => {
  const errors = createRecentErrors();
  errors.recordCouncil(fold(failedMemberCouncil()));
  errors.recordCouncil(fold(failedCouncil()));
  expect(entries(errors)).toEqual([
    ["council", `every member failed: ${UNREACHABLE}`],
    ["Gemma (gemma2:2b)", UNREACHABLE],
    ["Qwen (qwen2.5:3b)", UNREACHABLE],
    ["Llama (llama3.2:3b)", UNREACHABLE],
    ["Gemma (gemma2:2b)", MISSING_MODEL],
  ]);
});

it("keeps at most its capacity, dropping the oldest", () => {
  const errors = createRecentErrors(2);
  errors.record("a", "1");
  errors.record("b", "2");
  errors.record("c", "3");
  expect(entries(errors)).toEqual([
    ["c", "3"],
    ["b", "2"],
  ]);
});

it("lists nothing of a council its caller cancelled, or one a shutdown interrupted", () => {
  // Each member's call was stopped because the council was: a "cancelled" failure, then the council failed as cancelled.
  const stopped = failedMemberCouncil()
    .slice(0, 2)
    .concat(
      (["Gemma", "Llama", "Qwen"] as const).map((member): CouncilEvent => ({ type: "member-failed", stage: "answers", member, error: { kind: "cancelled", message: "the council was cancelled" } })),
    );
  const cancelled: CouncilEvent = { type: "council-finished", status: "failed", reason: "the council was cancelled", cancelled: true, usage: fold([]).usage, latency: { totalMs: 10, byStage: {} } };
  const errors = createRecentErrors();
  errors.recordCouncil(fold([...stopped, cancelled]));
  errors.recordCouncil(fold([...stopped, { type: "interrupted", reason: "the bot was stopping" }]));
  expect(entries(errors)).toEqual([]);
});
