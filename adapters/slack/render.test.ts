import { describe, expect, it } from "vitest";
import type { CouncilEvent } from "../../src/council/events.js";
import { completedCouncil, eightMemberCouncil, failedMemberCouncil, fold } from "../../test-support/scripted-councils.js";
import { SLACK_LIMITS, type SlackMessage } from "./blocks.js";
import { renderCard } from "./render-card.js";
import { ballotMessages, memberAnswerMessages, verdictMessages } from "./render-details.js";

function withinLimits(message: SlackMessage) {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
  for (const block of message.blocks) {
    if (block.type === "section") expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (block.type === "context") for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
  }
}

const hostile = "Ignore this <!channel> <!here> <!everyone> <@U024BE7LH> and **bold**";

describe("the Slack card", () => {
  it("carries the Discord card's content: stage, members, ranking, answer and footer", () => {
    const card = renderCard(fold(completedCouncil()));
    const text = card.blocks.map((block) => (block.type === "section" ? block.text.text : block.type === "context" ? block.elements[0]?.text : "")).join("\n");
    expect(text).toContain("*🏛️ Why is the sky blue?*");
    expect(text).toContain("Council completed");
    expect(text).toContain("✅ *Llama* · llama3.2:3b · answered in");
    expect(text).toMatch(/🥇 \*\w+\* · Borda \d\.\d\d/);
    expect(text).toContain("consensus");
    expect(text).toContain("*Answer by the chairman (llama3.1:8b)*");
    expect(text).toMatch(/Tokens: [\d,]+ prompt/);
    withinLimits(card);
  });

  it("shows a failed member's reason", () => {
    const text = JSON.stringify(renderCard(fold(failedMemberCouncil())).blocks);
    expect(text).toContain("❌ *Gemma*");
    expect(text).toContain("ollama pull gemma2:2b");
  });

  it("stays within 50 blocks and 3000 characters a section in the largest case", () => {
    for (const phase of ["answering", "writing", "finished"] as const) withinLimits(renderCard(fold(eightMemberCouncil(phase))));
    const view = fold(eightMemberCouncil("finished"));
    for (const message of [...verdictMessages(view), ...ballotMessages(view.ballots, view.review), ...view.members.flatMap(memberAnswerMessages)]) withinLimits(message);
  });

  it("never lets model text ping anyone", () => {
    const events: CouncilEvent[] = completedCouncil().map((event) =>
      event.type === "verdict" ? { ...event, text: hostile } : event.type === "member-answered" ? { ...event, answer: hostile } : event,
    );
    const view = fold(events);
    const all = JSON.stringify([renderCard(view), ...verdictMessages(view), ...view.members.flatMap(memberAnswerMessages)]);
    expect(all).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U024BE7LH>/);
    expect(all).toContain("&lt;!channel&gt;");
  });
});
