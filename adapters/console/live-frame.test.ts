import { describe, expect, it } from "vitest";
import { displayWidth } from "./format.js";
import { renderLiveFrame } from "./live-frame.js";
import {
  CHAIRMAN_DOWN,
  chairmanFailedCouncil,
  completedCouncil,
  eightMemberCouncil,
  failedCouncil,
  failedMemberCouncil,
  fold,
  MISSING_MODEL,
  UNREACHABLE,
} from "../../test-support/scripted-councils.js";

const text = (lines: string[]) => lines.join("\n");

describe("renderLiveFrame", () => {
  it("shows the stage and each member while the council runs", () => {
    const events = completedCouncil();
    const midReview = fold(events.slice(0, events.findIndex((event) => event.type === "ballot") + 1));
    const frame = renderLiveFrame(midReview, { width: 100 });
    expect(frame[0]).toBe("Stage 2/3 · peer review · 1/3 ballots");
    expect(frame[1]).toMatch(/^ {2}✓ Llama +llama3\.2:3b +answered in 4\.2 s, 312 tokens$/);
  });

  it("shows a thinking member's last words", () => {
    const events = completedCouncil();
    const firstDelta = events.findIndex((event) => event.type === "member-delta");
    const frame = renderLiveFrame(fold(events.slice(0, firstDelta + 1)), { width: 60 });
    expect(frame[0]).toBe("Stage 1/3 · opinions · 0/3 answers");
    expect(frame[1]).toMatch(/… Llama +llama3\.2:3b +thinking: …wavelengths scatter more\.$/);
    expect(frame[2]).toMatch(/… Qwen +qwen2\.5:3b +thinking…$/);
  });

  it("draws a completed council: ranking with medals, consensus, the chairman's answer and the footer", () => {
    const frame = text(renderLiveFrame(fold(completedCouncil()), { width: 100, height: 10 }));
    expect(frame).toContain("Council completed in 18.4 s");
    expect(frame).toMatch(/🥇 Qwen +1\.00 +9\.0 +2\n {2}🥈 Llama +0\.50 +8\.0 +2\n {2}🥉 Gemma +0\.00 +7\.0 +2/);
    expect(frame).toContain("consensus 0.78 (strong)");
    expect(frame).toContain("Answer by the chairman (llama3.1:8b)\n  The sky is blue because air scatters blue light most.");
    expect(frame).toContain("Tokens: 700 prompt / 1,022 completion / 1,722 total · 40 tokens/s generated");
    expect(frame).toContain("Time: opinions 4.3 s · peer review 6.1 s · synthesis 8.0 s · total 18.4 s");
  });

  it("shows a failed member with the reason and the fix, wrapped rather than cut once finished", () => {
    const frame = text(renderLiveFrame(fold(failedMemberCouncil()), { width: 60 }));
    expect(frame).toMatch(/^Partial result in 12\.3 s: Gemma failed/);
    const gemma = frame.slice(frame.indexOf("✗ Gemma"));
    expect(gemma.replace(/\s+/g, " ")).toContain(`failed: ${MISSING_MODEL}`);
    expect(frame).not.toContain("…");
  });

  it("labels the top-ranked answer given when the chairman failed", () => {
    const frame = text(renderLiveFrame(fold(chairmanFailedCouncil()), { width: 200 }));
    expect(frame).toContain(`Answer: the top-ranked one, by Qwen (the chairman failed: ${CHAIRMAN_DOWN})`);
    expect(frame).toMatch(/^Partial result in/);
  });

  it("says why a failed council failed, and shows no ranking or answer", () => {
    const frame = text(renderLiveFrame(fold(failedCouncil()), { width: 200 }));
    expect(frame).toContain(`Council failed in 40 ms: every member failed: ${UNREACHABLE}`);
    expect(frame.match(/✗/g)).toHaveLength(3);
    expect(frame).not.toContain("Ranking");
    expect(frame).not.toContain("Answer");
  });

  describe("with 8 members and long answers", () => {
    const phases = ["answering", "writing", "finished"] as const;
    it.each(phases.flatMap((phase) => [40, 80, 132].map((width) => [phase, width] as const)))("fits %s at %d columns", (phase, width) => {
      const frame = renderLiveFrame(fold(eightMemberCouncil(phase)), { width, height: 24 });
      for (const line of frame) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    });

    it("keeps the running frame within the terminal's rows, showing the tail of the answer being written", () => {
      const frame = renderLiveFrame(fold(eightMemberCouncil("writing")), { width: 80, height: 24 });
      expect(frame.length).toBeLessThanOrEqual(23);
      expect(text(frame)).toContain("Ranking (Borda): 🥇 Member-with-a-long-name-1 1.00");
      expect(text(frame)).toContain("Answer (the chairman llama3.1:70b is writing)");
      expect(frame.at(-1)).toMatch(/^Time: /);
      const answerTail = frame[frame.findIndex((line) => line.startsWith("Tokens:")) - 2];
      expect(answerTail).toMatch(/reds remain\.$/);
    });

    it("draws the finished frame in full, however tall", () => {
      const frame = renderLiveFrame(fold(eightMemberCouncil("finished")), { width: 80, height: 24 });
      expect(frame.length).toBeGreaterThan(24);
      expect(text(frame)).toContain("8. Member-with-a-long-name-8");
      expect(text(frame).match(/reds remain\./g)).toHaveLength(3);
    });

    it("tells members apart in a narrow terminal by dropping the model column before the names", () => {
      const frame = renderLiveFrame(fold(eightMemberCouncil("answering")), { width: 60, height: 40 });
      expect(frame[1]).toMatch(/^ {2}✓ Member-with-a-long-name-1 +answered in 1 min 05 s/);
      expect(text(frame)).not.toContain("registry.example.com");
      const wide = renderLiveFrame(fold(eightMemberCouncil("answering")), { width: 132, height: 40 });
      expect(wide[1]).toContain("registry.example.com/li…  answered");
    });
  });

  it("never lets a model's escape sequences through", () => {
    const events = completedCouncil().map((event) =>
      event.type === "verdict" ? { ...event, text: "\x1b[2J\x1b[Hcleared your screen" } : event,
    );
    expect(text(renderLiveFrame(fold(events), { width: 80 }))).not.toContain("\x1b");
  });
});
