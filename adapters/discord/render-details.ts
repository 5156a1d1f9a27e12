import type { Ballot } from "../../src/council/events.js";
import type { DeliberationView, MemberView } from "../../src/council/view.js";
import { splitText } from "../shared/split-text.js";
import { formatDuration, formatTokens, oneLine } from "../shared/text.js";
import { verdictHeading } from "../shared/view-text.js";
import type { MessageFile } from "./discord-api.js";
import { DISCORD_LIMITS } from "./limits.js";

// What goes into the council's thread: each member's full answer as it arrives, the ballots
// with their critiques once the review is done, and the final answer. Text is split on
// paragraph and code-fence boundaries into messages of at most 2000 characters, or attached
// as a Markdown file when it is longer than the configured threshold.

export interface DetailMessage {
  content: string;
  files?: MessageFile[];
}

export function memberAnswerMessages(member: MemberView, attachOverChars: number): DetailMessage[] {
  const facts = [member.model, member.wallMs === undefined ? "" : formatDuration(member.wallMs), member.completionTokens === undefined ? "" : formatTokens(member.completionTokens)];
  const heading = `**${oneLine(member.name)}**${member.revised ? " (revised)" : ""} · ${facts.filter(Boolean).join(" · ")}`;
  return textMessages(heading, member.text, `${fileSafe(member.name)}.md`, attachOverChars);
}

export function ballotMessages(ballots: readonly Ballot[], review: DeliberationView["review"]): DetailMessage[] {
  const blocks = ballots.map((ballot) => {
    if (ballot.abstained) return `🗳️ **${oneLine(ballot.reviewer)}** abstained: ${oneLine(ballot.reason ?? "no reason given")}`;
    const lines = ballot.ranking.map((member, index) => {
      const score = ballot.scores[member];
      const critique = ballot.critiques[member];
      return `${index + 1}. **${oneLine(member)}**${score === undefined ? "" : ` · ${score}/10`}${critique ? ` · ${oneLine(critique)}` : ""}`;
    });
    const notes = [ballot.repaired ? "repaired once" : "", ballot.reason ? oneLine(ballot.reason) : ""].filter(Boolean);
    return [`🗳️ **${oneLine(ballot.reviewer)}**'s ${review === "pairwise" ? "scores" : "ballot"}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`, ...lines].join("\n");
  });
  return splitText(blocks.join("\n\n"), DISCORD_LIMITS.content).map((content) => ({ content }));
}

export function verdictMessages(view: DeliberationView, attachOverChars: number): DetailMessage[] {
  if (!view.verdict) return [];
  return textMessages(`**${verdictHeading(view)}**`, view.verdict.text, "answer.md", attachOverChars);
}

function textMessages(heading: string, text: string, fileName: string, attachOverChars: number): DetailMessage[] {
  if ([...text].length > attachOverChars) {
    return [{ content: `${heading}\n*The full text is attached (${[...text].length} characters).*`, files: [{ name: fileName, text }] }];
  }
  const [first, ...rest] = splitText(`${heading}\n\n${text}`, DISCORD_LIMITS.content);
  return [first ?? heading, ...rest].map((content) => ({ content }));
}

function fileSafe(name: string): string {
  return name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "answer";
}
