import { describe, expect, it } from "vitest";
import type { CouncilEvent } from "../../src/council/events.js";
import {
  completedCouncil,
  eightMemberCouncil,
  failedCouncil,
  failedMemberCouncil,
  fold,
  MISSING_MODEL,
} from "../../test-support/scripted-councils.js";
import { DISCORD_LIMITS } from "./limits.js";
import { embedCharacters, renderCard, threadName } from "./render-card.js";

function withinLimits(embed: ReturnType<typeof renderCard>) {
  expect([...(embed.title ?? "")].length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
  expect([...(embed.description ?? "")].length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
  expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
  for (const field of embed.fields ?? []) {
    expect([...field.name].length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
    expect([...field.value].length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
  }
  expect([...(embed.footer?.text ?? "")].length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
  expect(embedCharacters(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
}

/** The largest card: 8 members with long names, one failed, a ranking, and an answer far over 6000 characters. */
function longestCase(): CouncilEvent[] {
  const events = eightMemberCouncil("finished");
  const verdict = events.findLast((event) => event.type === "verdict");
  const huge = `${"A long paragraph of the final answer, with detail. ".repeat(60)}\n\n\`\`\`ts\n${"const line = 1;\n".repeat(400)}\`\`\`\n\nEnd.`;
  return events.map((event) => {
    if (event === verdict) return { ...event, text: huge };
    if (event.type === "member-answered" && event.member.endsWith("-8")) {
      return { type: "member-failed", stage: "answers", member: event.member, error: { kind: "model-missing", message: MISSING_MODEL } };
    }
    return event;
  });
}

describe("the council card", () => {
  it("shows the stage, each member's status, the ranking, the answer and the footer", () => {
    const embed = renderCard(fold(completedCouncil()), { hasDetails: true });
    expect(embed.title).toBe("🏛️ Why is the sky blue?");
    expect(embed.description).toMatch(/^\*\*Council completed in /);
    expect(embed.description).toContain("✅ **Llama** · llama3.2:3b · answered in");
    expect(embed.description).toContain("**Answer by the chairman (llama3.1:8b)**");
    expect(embed.fields?.[0]?.name).toBe("Ranking · 3 ballots");
    expect(embed.fields?.[0]?.value).toMatch(/^🥇 \*\*\w+\*\* · Borda \d\.\d\d · \d+\.\d\/10/);
    expect(embed.fields?.[0]?.value).toContain("consensus");
    expect(embed.footer?.text).toMatch(/^Tokens: [\d,]+ prompt \/ [\d,]+ completion \/ [\d,]+ total/);
    expect(embed.footer?.text).toContain("total");
    withinLimits(embed);
  });

  it("shows a failed member with its reason", () => {
    const embed = renderCard(fold(failedMemberCouncil()), { hasDetails: true });
    expect(embed.description).toContain(`❌ **Gemma** · gemma2:2b · failed: ${MISSING_MODEL}`);
  });

  it("says why a council failed", () => {
    const embed = renderCard(fold(failedCouncil()), { hasDetails: true });
    expect(embed.color).toBe(0xed4245);
    expect(embed.description).toContain("Council failed");
    expect(embed.description).toContain("worker not reachable at http://10.0.0.9:8001");
  });

  it("keeps the longest case (8 members, long answers, a failed member) within every Discord limit", () => {
    for (const events of [eightMemberCouncil("answering"), eightMemberCouncil("writing"), longestCase()]) {
      withinLimits(renderCard(fold(events), { hasDetails: true, note: "Threads are not allowed here, so the details follow as replies." }));
    }
    const embed = renderCard(fold(longestCase()), { hasDetails: true });
    expect(embed.description).toContain("… continued in the thread");
    expect(embed.description).toContain("❌ **Member-with-a-long-name-8**");
    const fences = embed.description?.match(/^\s*```/gm)?.length ?? 0;
    expect(fences % 2).toBe(0);
  });

  it("names the thread after the question, cut on a word within 100 characters", () => {
    expect(threadName("Why is the sky blue?")).toBe("Why is the sky blue?");
    const name = threadName(`${"word ".repeat(40)}end`);
    expect([...name].length).toBeLessThanOrEqual(100);
    expect(name.endsWith("word…")).toBe(true);
  });
});
