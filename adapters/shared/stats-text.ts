import type { InsightsReply } from "../../src/insights/insights-service.js";

// /council-stats' words on a chat platform: the title in bold, the leaderboard as a code block
// (its columns line up in a monospaced font), the totals, and any note. Within the platform's
// limit, the leaderboard's last rows give way to a line saying how many were left out: the
// chart still shows every model.

export interface StatsTextStyle {
  /** "**text**" on Discord, "*text*" on Slack. */
  bold(text: string): string;
  /** What the platform needs escaped in plain text (Slack's &, < and >). */
  escape(text: string): string;
  /** The most characters the message may hold. */
  max: number;
}

export function statsText(reply: InsightsReply, style: StatsTextStyle, after: readonly string[] = []): string {
  const title = style.bold(style.escape(reply.title));
  if (reply.kind === "empty") return [title, style.escape(reply.message), ...after].join("\n");
  const tail = [style.escape(reply.totals), ...(reply.note ? [style.escape(reply.note)] : []), ...after];
  // A backtick in a model's name would close the block early.
  const rows = reply.leaderboard.map((line) => style.escape(line.replaceAll("`", "'")));
  const compose = (shown: number) => {
    const left = rows.length - shown;
    const block = ["```", ...rows.slice(0, shown), ...(left > 0 ? [`… and ${left} more (the chart shows them all)`] : []), "```"].join("\n");
    return [title, block, ...tail].join("\n");
  };
  let shown = rows.length;
  let text = compose(shown);
  // The header row stays; rows go from the bottom, where the least rated are.
  while ([...text].length > style.max && shown > 1) text = compose(--shown);
  return text;
}
