import { describe, expect, it } from "vitest";
import { completedCouncil, fold } from "../../test-support/scripted-councils.js";
import type { MemberView } from "../../src/council/view.js";
import { ballotMessages, memberAnswerMessages, verdictMessages } from "./render-details.js";

const member = (text: string): MemberView => ({ name: "Llama", model: "llama3.2:3b", status: "answered", text, wallMs: 4200, completionTokens: 312, revised: false });

describe("thread messages", () => {
  it("heads a member's answer with who, how long and how many tokens", () => {
    const [message] = memberAnswerMessages(member("Paris."), 6000);
    expect(message?.content).toBe("**Llama** · llama3.2:3b · 4.2 s · 312 tokens\n\nParis.");
  });

  it("splits a long answer into messages of at most 2000 characters, never leaving a code fence open", () => {
    const text = `Intro.\n\n\`\`\`ts\n${"const value = 42;\n".repeat(200)}\`\`\`\n\nDone.`;
    const messages = memberAnswerMessages(member(text), 10_000);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.content.length).toBeLessThanOrEqual(2000);
      expect((message.content.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
    }
  });

  it("attaches an answer past the threshold as a Markdown file", () => {
    const text = "word ".repeat(2000);
    const [message, ...rest] = memberAnswerMessages(member(text), 6000);
    expect(rest).toHaveLength(0);
    expect(message?.files).toEqual([{ name: "Llama.md", text }]);
    expect(message?.content).toContain("attached");
  });

  it("lists each ballot with its ranking, scores and critiques, and the verdict with its heading", () => {
    const view = fold(completedCouncil());
    const ballots = ballotMessages(view.ballots, view.review).map((message) => message.content).join("\n");
    expect(ballots).toMatch(/🗳️ \*\*\w+\*\*'s ballot\n1\. \*\*\w+\*\* · \d+\/10 · /);
    expect(verdictMessages(view, 6000)[0]?.content).toMatch(/^\*\*Answer by the chairman \(llama3\.1:8b\)\*\*\n\n/);
  });
});
