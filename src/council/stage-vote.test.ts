import { describe, expect, it } from "vitest";
import { LlmUnreachableError } from "../llm/errors.js";
import type { ChatRequest } from "../llm/port.js";
import { createScriptedLlm, type Script } from "../../test-support/scripted-llm.js";
import { createCouncilEngine } from "./engine.js";
import { finalAnswerText, voteKey } from "./final-answer.js";
import { tallyVotes } from "./stage-vote.js";
import { collect, finished, ofType, preset } from "./test-helpers.js";
import { emptyView, reduce } from "./view.js";

/** Replies by sample: the request's seed says which (none: sample 0, the member's usual answer). */
function bySample(replies: readonly string[]): Script {
  return (request: ChatRequest) => replies[request.options.seed ?? 0] ?? "no reply scripted";
}

function voteCouncil(scripts: Record<string, Script>) {
  const members = createScriptedLlm(scripts);
  const chairman = createScriptedLlm({});
  return { engine: createCouncilEngine({ members: members.client, chairman: chairman.client, random: () => 0.5 }), members, chairman };
}

const VOTE = { samples: 3, temperature: 0.7, selection: "plurality" as const };

describe("the vote strategy", () => {
  it("samples each member k times, counts the final answers and shows the winner's share; no review, no chairman", async () => {
    const { engine, members, chairman } = voteCouncil({
      "alpha:1b": bySample(["6 times 7 is 42.\nAnswer: 42", "Answer: 41", "The answer is 42."]),
      "beta:1b": bySample(["Answer: 40", "Answer: 42 apples", "**42**"]),
      "gamma:1b": bySample(["Answer: 41", "I think 41.\nAnswer: 41", "Answer: $42"]),
    });
    const events = await collect(engine.runCouncil("6 crates of 7 apples?", preset({ strategy: "vote", vote: VOTE })));
    expect(ofType(events, "council-started")[0]).toMatchObject({ chairman: null, stages: ["answers"] });
    expect(members.calls).toHaveLength(9);
    expect(members.calls.every((call) => call.request.format === undefined)).toBe(true);
    expect(chairman.calls).toHaveLength(0);
    // Sample 0 is the member's usual request; the others are drawn at the vote's temperature, seeded.
    const alpha = members.calls.filter((call) => call.request.model === "alpha:1b").map((call) => call.request.options);
    expect(alpha.map((options) => [options.seed, options.temperature])).toEqual([
      [undefined, undefined],
      [1, 0.7],
      [2, 0.7],
    ]);
    const verdict = ofType(events, "verdict")[0];
    expect(verdict).toMatchObject({
      text: "6 times 7 is 42.\nAnswer: 42",
      by: { kind: "vote", selection: "plurality", member: "Alpha", answer: "42", votes: 5, of: 9, confidence: 0.556 },
    });
    expect(verdict?.by.kind === "vote" && verdict.by.split).toEqual([
      { answer: "42", votes: 5 },
      { answer: "41", votes: 3 },
      { answer: "40", votes: 1 },
    ]);
    expect(finished(events).status).toBe("completed");
    // The view folds it: every member answered, the one stage done.
    const view = events.reduce(reduce, emptyView());
    expect(view.members.map((member) => member.status)).toEqual(["answered", "answered", "answered"]);
    expect(view.stages).toMatchObject([{ name: "answers", status: "done", doneCalls: 9, expectedCalls: 9 }]);
  });

  it("confident-member: the member whose own samples agree most gives its answer, though the pool would say otherwise", async () => {
    const { engine } = voteCouncil({
      "alpha:1b": bySample(["Answer: 41", "Answer: 42", "Answer: 40"]),
      "beta:1b": bySample(["Answer: 41", "Answer: 42", "Answer: 43"]),
      "gamma:1b": bySample(["Answer: 41", "Answer: 41", "Answer: 41"]),
    });
    const events = await collect(engine.runCouncil("?", preset({ strategy: "vote", vote: { ...VOTE, selection: "confident-member" } })));
    expect(ofType(events, "verdict")[0]?.by).toMatchObject({ kind: "vote", selection: "confident-member", member: "Gamma", answer: "41", votes: 3, of: 3, confidence: 1 });
  });

  it("a member that fails every sample drops out and the council is partial; every member failing fails it with the reason", async () => {
    const down = { error: new LlmUnreachableError("the worker at http://gpu:8000 is unreachable") };
    const { engine } = voteCouncil({ "alpha:1b": bySample(["Answer: B", "Answer: B", "(B)"]), "beta:1b": down, "gamma:1b": bySample(["Answer: C", "B", "Answer: B"]) });
    const events = await collect(engine.runCouncil("?", preset({ strategy: "vote", vote: VOTE })));
    expect(ofType(events, "member-failed").map((event) => event.member)).toEqual(["Beta"]);
    expect(ofType(events, "verdict")[0]?.by).toMatchObject({ answer: "B", votes: 5, of: 6 });
    expect(finished(events)).toMatchObject({ status: "partial", reason: expect.stringContaining("Beta failed") });

    const { engine: dead } = voteCouncil({ "alpha:1b": down, "beta:1b": down, "gamma:1b": down });
    const failed = finished(await collect(dead.runCouncil("?", preset({ strategy: "vote", vote: VOTE }))));
    expect(failed).toMatchObject({ status: "failed", reason: expect.stringMatching(/^every member failed: nothing answers at the worker at http:\/\/gpu:8000/) });
  });

  it("ties go to the answer given first, in preset and sample order", () => {
    const verdict = tallyVotes(
      new Map([
        ["Alpha", ["Answer: Lyon"]],
        ["Beta", ["Answer: Paris"]],
      ]),
      "plurality",
    );
    expect(verdict?.by).toMatchObject({ member: "Alpha", answer: "Lyon", votes: 1, of: 2, confidence: 0.5 });
  });
});

describe("a reply's final answer", () => {
  it.each([
    ["Reasoning first. The answer is 42. Because six sevens.", "42"],
    ["Draft: answer is 40\nFinal answer: 42", "42"],
    ["#### 1,200", "1,200"],
    ["So $\\boxed{17}$", "17"],
    ["Paris\n\nIt has been the capital since 987.", "It has been the capital since 987."],
    ["**Answer:** (C)", "(C)"],
  ])("%j reads %j", (reply, expected) => {
    expect(finalAnswerText(reply)).toBe(expected);
  });

  it.each([
    ["Answer: 1,200 apples", "number:1200"],
    ["Answer: −5 °C", "number:-5"],
    ["The answer is $3.50.", "number:3.5"],
    ["Answer: (b)", "choice:B"],
    ["Answer: B. Mitochondria", "choice:B"],
    ["Answer: A dog", "dog"],
    ["Answer: **Paris.**", "paris"],
  ])("%j votes for %j", (reply, key) => {
    expect(voteKey(reply).key).toBe(key);
  });
});
