import { describe, expect, it } from "vitest";
import type { CouncilEvent } from "../../src/council/events.js";
import { emptyView, reduce } from "../../src/council/view.js";
import { plainEventLines } from "./plain-lines.js";
import { chairmanFailedCouncil, completedCouncil, failedCouncil, failedMemberCouncil, MISSING_MODEL, UNREACHABLE } from "../../test-support/scripted-councils.js";

function linesOf(events: readonly CouncilEvent[]): string[] {
  let view = emptyView();
  return events.flatMap((event) => {
    view = reduce(view, event);
    return plainEventLines(event, view);
  });
}

describe("plainEventLines", () => {
  it("writes one line per notable event of a completed council, then the answer and the footer", () => {
    expect(linesOf(completedCouncil())).toEqual([
      'Council "balanced" (synthesis, ranking review): Llama (llama3.2:3b), Qwen (qwen2.5:3b), Gemma (gemma2:2b), chairman llama3.1:8b',
      "Stage 1/3 · opinions · 0/3 answers",
      "Llama answered in 4.2 s, 312 tokens",
      "Qwen answered in 3.9 s, 280 tokens",
      "Gemma answered in 1.5 s, 40 tokens",
      "Stage 2/3 · peer review · 0/3 ballots",
      "Llama ranked Qwen 8 > Gemma 3",
      "Qwen ranked Llama 9 > Gemma 2",
      "Gemma ranked Qwen 7 > Llama 6",
      "Ranking (Borda): 🥇 Qwen 1.00 · 🥈 Llama 0.50 · 🥉 Gemma 0.00 · consensus 0.78 (strong)",
      "Stage 3/3 · synthesis · writing the final answer",
      "",
      "Answer by the chairman (llama3.1:8b):",
      "The sky is blue because air scatters blue light most.",
      "",
      "Council completed in 18.4 s",
      "Tokens: 700 prompt / 1,022 completion / 1,722 total · 40 tokens/s generated",
      "Time: opinions 4.3 s · peer review 6.1 s · synthesis 8.0 s · total 18.4 s",
    ]);
  });

  it("prints nothing for token deltas, so a pipe gets no per-token output", () => {
    const deltas: CouncilEvent[] = completedCouncil().filter((event) => event.type === "member-delta" || event.type === "verdict-delta");
    expect(deltas.length).toBeGreaterThan(0);
    let view = emptyView();
    for (const event of completedCouncil()) {
      view = reduce(view, event);
      if (deltas.includes(event)) expect(plainEventLines(event, view)).toEqual([]);
    }
  });

  it("says which member failed and why, and that the result is partial", () => {
    const lines = linesOf(failedMemberCouncil());
    expect(lines).toContain(`Gemma failed: ${MISSING_MODEL}`);
    expect(lines).toContain(`Partial result in 12.3 s: Gemma failed: ${MISSING_MODEL}`);
  });

  it("labels the fallback answer when the chairman failed", () => {
    expect(linesOf(chairmanFailedCouncil()).find((line) => line.startsWith("Answer"))).toMatch(/^Answer: the top-ranked one, by Qwen \(the chairman failed: /);
  });

  it("ends a failed council with the reason", () => {
    const lines = linesOf(failedCouncil());
    expect(lines.filter((line) => /^(Llama|Qwen|Gemma) failed: /.test(line) && line.endsWith(UNREACHABLE))).toHaveLength(3);
    expect(lines).toContain(`Council failed in 40 ms: every member failed: ${UNREACHABLE}`);
    expect(lines.some((line) => line.startsWith("Answer"))).toBe(false);
  });

  it("ranks by mean score in pairwise review, and says so", () => {
    const events = completedCouncil().map((event) => (event.type === "council-started" ? { ...event, review: "pairwise" as const } : event));
    expect(linesOf(events)).toContain("Ranking (mean score): 🥇 Qwen 9.0 · 🥈 Llama 8.0 · 🥉 Gemma 7.0 · consensus 0.78 (strong)");
  });

  it("reports abstentions, repaired ballots and a revision that failed", () => {
    const [started, stage] = completedCouncil();
    const view = [started, stage].reduce((acc, event) => reduce(acc, event as CouncilEvent), emptyView());
    const abstained: CouncilEvent = { type: "ballot", ballot: { reviewer: "Gemma", abstained: true, reason: "no valid JSON after a repair", ranking: [], scores: {}, critiques: {}, repaired: true } };
    expect(plainEventLines(abstained, reduce(view, abstained))).toEqual(["Gemma abstained: no valid JSON after a repair"]);
    const repaired: CouncilEvent = { type: "ballot", ballot: { reviewer: "Llama", abstained: false, ranking: ["Qwen", "Gemma"], scores: { Qwen: 7, Gemma: 4 }, critiques: {}, repaired: true } };
    expect(plainEventLines(repaired, reduce(view, repaired))).toEqual(["Llama ranked Qwen 7 > Gemma 4 (after a repair)"]);

    const answered = completedCouncil().slice(0, 5).reduce(reduce, emptyView());
    const revisionFailed: CouncilEvent = { type: "member-failed", stage: "debate", member: "Llama", error: { kind: "timeout", message: "llama3.2:3b did not finish within 180 s" } };
    expect(plainEventLines(revisionFailed, reduce(answered, revisionFailed))).toEqual(["Llama could not revise its answer: llama3.2:3b did not finish within 180 s"]);
  });
});
