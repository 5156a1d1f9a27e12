import { describe, expect, it } from "vitest";
import type { CouncilEvent } from "../../src/council/events.js";
import type { CallStats } from "../../src/council/usage.js";
import { toCouncilJson } from "./json-result.js";
import { completedCouncil, failedCouncil, failedMemberCouncil, fold, MISSING_MODEL } from "../../test-support/scripted-councils.js";

function jsonOf(events: CouncilEvent[]) {
  const answerCalls = new Map<string, CallStats>();
  for (const event of events) if (event.type === "member-answered") answerCalls.set(event.member, event.stats);
  // Through JSON, as a script reads it.
  return JSON.parse(JSON.stringify(toCouncilJson(fold(events), answerCalls)));
}

describe("toCouncilJson", () => {
  it("gives the whole council, each number from the calls it names", () => {
    const json = jsonOf(completedCouncil());
    expect(json).toMatchObject({
      question: "Why is the sky blue?",
      preset: "balanced",
      strategy: "synthesis",
      review: "ranking",
      status: "completed",
      consensus: 0.78,
      verdict: { text: "The sky is blue because air scatters blue light most.", by: { kind: "chairman", model: "llama3.1:8b" } },
      warnings: [],
    });
    expect(json.members[0]).toEqual({
      name: "Llama",
      model: "llama3.2:3b",
      status: "answered",
      answer: "Rayleigh scattering: shorter wavelengths scatter more.",
      revised: false,
      usage: { promptTokens: 100, completionTokens: 312 },
      latencyMs: 4200,
    });
    expect(json.ballots[0]).toMatchObject({ reviewer: "Llama", abstained: false, ranking: ["Qwen", "Gemma"], scores: { Qwen: 8, Gemma: 3 } });
    expect(json.ranking).toEqual([
      { name: "Qwen", position: 1, score: 1, meanScore: 9, votes: 2 },
      { name: "Llama", position: 2, score: 0.5, meanScore: 8, votes: 2 },
      { name: "Gemma", position: 3, score: 0, meanScore: 7, votes: 2 },
    ]);
    // The top level counts every call: 3 answers, 3 ballots and the chairman.
    expect(json.usage).toMatchObject({ calls: 7, promptTokens: 700, completionTokens: 1022, totalTokens: 1722 });
    expect(json.usage.byStage.answers).toMatchObject({ calls: 3, completionTokens: 632 });
    expect(json.usage.byStage.synthesis).toMatchObject({ calls: 1, completionTokens: 150 });
    expect(json.latency).toEqual({ totalMs: 18_400, byStage: { answers: 4300, review: 6100, synthesis: 8000 } });
  });

  it("gives a failed member its error and no answer, usage or latency", () => {
    const json = jsonOf(failedMemberCouncil());
    expect(json.status).toBe("partial");
    expect(json.reason).toBe(`Gemma failed: ${MISSING_MODEL}`);
    expect(json.members.find((member: { name: string }) => member.name === "Gemma")).toEqual({
      name: "Gemma",
      model: "gemma2:2b",
      status: "failed",
      revised: false,
      error: { kind: "model-missing", message: MISSING_MODEL },
      usage: null,
      latencyMs: null,
    });
  });

  it("gives a failed council no ranking and no verdict", () => {
    const json = jsonOf(failedCouncil());
    expect(json).toMatchObject({ status: "failed", ranking: [], ballots: [], consensus: null, verdict: null });
    expect(json.members.every((member: { status: string }) => member.status === "failed")).toBe(true);
  });
});
