import type { DeliberationView, MemberView } from "../../src/council/view.js";
import { oneLine } from "../shared/text.js";
import { consensusText, fileLines, footerSegments, medal, memberStatus, stageLine, verdictHeading } from "../shared/view-text.js";
import { type Block, clampText, context, divider, SLACK_LIMITS, type SlackMessage, sections } from "./blocks.js";
import { escapeSlack, markdownToMrkdwn } from "./mrkdwn.js";

// The council card in Block Kit: the same content as the Discord card (stage progress, member
// statuses, ranking with scores and consensus, the answer or its first part, the tokens and
// time footer), within 50 blocks and 3000 characters a section.

const ICONS: Record<MemberView["status"], string> = { thinking: "⏳", answered: "✅", failed: "❌" };
/** The card shows the answer's beginning; the thread has all of it. */
const CARD_ANSWER_CHARS = 2_500;

export function renderCard(view: DeliberationView): SlackMessage {
  const blocks: Block[] = [
    ...sections(`*🏛️ ${escapeSlack(oneLine(view.question))}*`).slice(0, 1),
    context(escapeSlack(stageLine(view))),
    ...(view.files.length > 0 ? [context(escapeSlack(fileLines(view).join("\n")))] : []),
    ...sections(view.members.map(memberLine).join("\n")).slice(0, 3),
  ];
  if (view.warnings.length > 0) blocks.push(context(view.warnings.slice(-3).map((warning) => `⚠️ ${escapeSlack(oneLine(warning))}`).join("\n")));
  if (view.ranking) blocks.push(divider, ...sections(rankingText(view)).slice(0, 1));
  if (view.verdict) blocks.push(divider, ...answerBlocks(view));
  const footer = footerSegments(view);
  blocks.push(context(escapeSlack([...footer.tokens, ...footer.time].join(" · ") || "…")));
  // The notification text is parsed for mentions like the blocks: the asker's question in it
  // must not make the bot ping a channel the asker may not ping.
  return { text: clampText(escapeSlack(`${oneLine(view.question)} · ${stageLine(view)}`), SLACK_LIMITS.text), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

function memberLine(member: MemberView): string {
  return `${ICONS[member.status]} *${escapeSlack(oneLine(member.name))}* · ${escapeSlack(member.model)} · ${escapeSlack(memberStatus(member))}`;
}

function rankingText(view: DeliberationView): string {
  const rows = (view.ranking?.rows ?? []).map((row) => {
    const score = row.meanScore === null ? "unscored" : `${row.meanScore.toFixed(1)}/10`;
    const decisive = view.review === "pairwise" ? score : `Borda ${row.borda.toFixed(2)} · ${score}`;
    return `${medal(row.position)} *${escapeSlack(oneLine(row.member))}* · ${decisive}`;
  });
  const abstained = view.ballots.filter((ballot) => ballot.abstained).length;
  return [`*Ranking* · ${view.ballots.length} ballots`, ...rows, consensusText(view.ranking?.consensus ?? null), ...(abstained > 0 ? [`${abstained} abstained`] : [])].join("\n");
}

function answerBlocks(view: DeliberationView): Block[] {
  const text = view.verdict?.text ?? "";
  const cut = text.length > CARD_ANSWER_CHARS;
  const shown = cut ? `${text.slice(0, text.lastIndexOf(" ", CARD_ANSWER_CHARS) > 0 ? text.lastIndexOf(" ", CARD_ANSWER_CHARS) : CARD_ANSWER_CHARS)}…` : text;
  return [
    ...sections(`*${escapeSlack(verdictHeading(view))}*\n${markdownToMrkdwn(shown)}${view.verdict?.streaming ? " ▌" : ""}`),
    ...(cut ? [context("_… continued in the thread_")] : []),
  ];
}
