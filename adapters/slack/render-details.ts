import type { Ballot } from "../../src/council/events.js";
import type { DeliberationView, MemberView } from "../../src/council/view.js";
import { formatDuration, formatTokens, oneLine } from "../shared/text.js";
import { verdictHeading } from "../shared/view-text.js";
import { chunkBlocks, type SlackMessage, sections } from "./blocks.js";
import { escapeSlack, markdownToMrkdwn } from "./mrkdwn.js";

// The thread under the card: each member's full answer as it arrives, the ballots with their
// critiques, and the final answer, split into 3000-character sections and 50-block messages.

export function memberAnswerMessages(member: MemberView): SlackMessage[] {
  const facts = [member.model, member.wallMs === undefined ? "" : formatDuration(member.wallMs), member.completionTokens === undefined ? "" : formatTokens(member.completionTokens)];
  const heading = `*${escapeSlack(oneLine(member.name))}*${member.revised ? " (revised)" : ""} · ${escapeSlack(facts.filter(Boolean).join(" · "))}`;
  return chunkBlocks(`${oneLine(member.name)}'s answer`, sections(`${heading}\n${markdownToMrkdwn(member.text)}`));
}

export function ballotMessages(ballots: readonly Ballot[], review: DeliberationView["review"]): SlackMessage[] {
  const text = ballots
    .map((ballot) => {
      const reviewer = escapeSlack(oneLine(ballot.reviewer));
      if (ballot.abstained) return `🗳️ *${reviewer}* abstained: ${escapeSlack(oneLine(ballot.reason ?? "no reason given"))}`;
      const lines = ballot.ranking.map((member, index) => {
        const score = ballot.scores[member];
        const critique = ballot.critiques[member];
        return `${index + 1}. *${escapeSlack(oneLine(member))}*${score === undefined ? "" : ` · ${score}/10`}${critique ? ` · ${escapeSlack(oneLine(critique))}` : ""}`;
      });
      return [`🗳️ *${reviewer}*'s ${review === "pairwise" ? "scores" : "ballot"}${ballot.repaired ? " (repaired once)" : ""}`, ...lines].join("\n");
    })
    .join("\n\n");
  return chunkBlocks("The ballots", sections(text));
}

export function verdictMessages(view: DeliberationView): SlackMessage[] {
  if (!view.verdict) return [];
  return chunkBlocks(verdictHeading(view), sections(`*${escapeSlack(verdictHeading(view))}*\n${markdownToMrkdwn(view.verdict.text)}`));
}
