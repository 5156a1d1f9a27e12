import type { APIEmbed } from "discord.js";
import type { MemberView, DeliberationView } from "../../src/council/view.js";
import { oneLine } from "../shared/text.js";
import { consensusText, fileLines, footerSegments, medal, memberStatus, stageLine, verdictHeading } from "../shared/view-text.js";
import { clamp, clampOnWord, DISCORD_LIMITS, length } from "./limits.js";

// The council card: one embed, edited as each stage completes. The stage line and the members
// come first, the ranking in a field, the answer (or its first part) last, and the tokens and
// times in the footer. The whole embed stays within Discord's 6000 characters.

const COLOURS = { running: 0x5865f2, completed: 0x57f287, partial: 0xfee75c, failed: 0xed4245, interrupted: 0x99aab5 } as const;
const ICONS: Record<MemberView["status"], string> = { thinking: "⏳", answered: "✅", failed: "❌" };
const CONTINUED = "\n\n*… continued in the thread*";

export interface CardOptions {
  /** A line under the stage, e.g. that the details go to replies because threads are not allowed. */
  note?: string;
  /** Whether the rest of a long answer can be read in a thread or follow-ups. */
  hasDetails: boolean;
}

export function renderCard(view: DeliberationView, options: CardOptions): APIEmbed {
  const title = clampOnWord(`🏛️ ${oneLine(view.question)}`, DISCORD_LIMITS.embedTitle);
  const head = [
    `**${stageLine(view)}**`,
    ...(options.note ? [`*${options.note}*`] : []),
    ...fileLines(view).map((line) => clamp(line, 300)),
    "",
    ...view.members.map(memberLine),
    ...view.warnings.slice(-3).map((warning) => `⚠️ ${clamp(oneLine(warning), 200)}`),
  ].join("\n");
  const fields = view.ranking ? [rankingField(view)] : [];
  const footerText = clamp([...footerSegments(view).tokens, ...footerSegments(view).time].join(" · "), DISCORD_LIMITS.footer);
  const used = length(title) + fields.reduce((sum, field) => sum + length(field.name) + length(field.value), 0) + length(footerText);
  const descriptionRoom = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedTotal - used);
  const description = head + answerSection(view, descriptionRoom - length(head), options.hasDetails);

  return {
    title,
    color: COLOURS[view.status],
    description: clamp(description, descriptionRoom),
    ...(fields.length > 0 && { fields }),
    ...(footerText && { footer: { text: footerText } }),
  };
}

function memberLine(member: MemberView): string {
  return clamp(`${ICONS[member.status]} **${oneLine(member.name)}** · ${member.model} · ${memberStatus(member)}`, 300);
}

function rankingField(view: DeliberationView): { name: string; value: string; inline: boolean } {
  const ranking = view.ranking;
  const rows = (ranking?.rows ?? []).map((row) => {
    const score = row.meanScore === null ? "unscored" : `${row.meanScore.toFixed(1)}/10`;
    const decisive = view.review === "pairwise" ? score : `Borda ${row.borda.toFixed(2)} · ${score}`;
    return `${medal(row.position)} **${oneLine(row.member)}** · ${decisive}`;
  });
  const abstained = view.ballots.filter((ballot) => ballot.abstained).length;
  const value = [...rows, consensusText(ranking?.consensus ?? null), ...(abstained > 0 ? [`${abstained} abstained`] : [])].join("\n");
  return { name: `Ranking · ${view.ballots.length} ballots`, value: clamp(value, DISCORD_LIMITS.fieldValue), inline: false };
}

/** The answer's heading and as much of its text as fits; the rest goes to the thread. */
function answerSection(view: DeliberationView, room: number, hasDetails: boolean): string {
  if (!view.verdict) return "";
  const heading = `\n\n**${verdictHeading(view)}**\n`;
  const text = view.verdict.text + (view.verdict.streaming ? " ▌" : "");
  const available = room - length(heading);
  if (available <= CONTINUED.length + 20) return "";
  if (length(text) <= available) return heading + text;
  const suffix = hasDetails ? CONTINUED : "…";
  return heading + closeFences(cutAtParagraph(text, available - length(suffix) - CLOSE_FENCE.length)) + suffix;
}

const CLOSE_FENCE = "\n```";

/** A cut inside a code block would turn the rest of the card into code: close it. */
function closeFences(text: string): string {
  const fences = text.match(/^\s*```/gm)?.length ?? 0;
  return fences % 2 === 1 ? text + CLOSE_FENCE : text;
}

function cutAtParagraph(text: string, max: number): string {
  const cut = [...text].slice(0, max).join("");
  const paragraph = cut.lastIndexOf("\n\n");
  if (paragraph > max * 0.5) return cut.slice(0, paragraph);
  const space = cut.lastIndexOf(" ");
  return space > max * 0.8 ? cut.slice(0, space) : cut;
}

/** The thread's name: the question, on a word boundary within Discord's 100 characters. */
export function threadName(question: string): string {
  return clampOnWord(oneLine(question), DISCORD_LIMITS.threadName) || "council";
}

/** Characters Discord counts towards the 6000 of one message's embeds. */
export function embedCharacters(embed: APIEmbed): number {
  return (
    length(embed.title ?? "") +
    length(embed.description ?? "") +
    (embed.fields ?? []).reduce((sum, field) => sum + length(field.name) + length(field.value), 0) +
    length(embed.footer?.text ?? "") +
    length(embed.author?.name ?? "")
  );
}
