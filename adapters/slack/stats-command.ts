import type { Logger } from "pino";
import type { InsightsService } from "../../src/insights/insights-service.js";
import { PERIODS } from "../../src/insights/period.js";
import { DeliveryError } from "../shared/delivery-error.js";
import { statsText } from "../shared/stats-text.js";
import { escapeSlack } from "./mrkdwn.js";
import { type SlackApi, slackErrorOf } from "./slack-api.js";

// /council-stats [period] [preset] [public], e.g. `/council-stats 30d balanced public`: the
// leaderboard as text and the dashboard as a PNG. Private by default: the text comes
// ephemerally, and since an ephemeral message cannot carry a file, the chart goes to the
// asker's direct messages with the bot (only they see it there), the text saying so. With
// `public`, text and chart are one message in the channel. A bad period or preset is refused
// privately with the choices.

export const STATS_USAGE = `Usage: \`/council-stats [${PERIODS.join("|")}] [preset] [public]\`, e.g. \`/council-stats 30d balanced public\`.`;

/** Slack shows up to 40,000 characters of a message's text; a statistics reply stays far below, with room for the notes after it. */
const MAX_TEXT = 3_500;

export interface StatsArguments {
  period?: string;
  preset?: string;
  public: boolean;
}

/** The command's words: the period first, then the preset; `public` anywhere. */
export function parseStatsArguments(text: string): StatsArguments | { usage: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const shown = words.some((word) => word.toLowerCase() === "public");
  const [period, preset, ...extra] = words.filter((word) => word.toLowerCase() !== "public");
  if (extra.length > 0) return { usage: `Too many words (${extra.join(" ")}). ${STATS_USAGE}` };
  return { ...(period !== undefined && { period }), ...(preset !== undefined && { preset }), public: shown };
}

export interface StatsCommand {
  channel: string;
  user: string;
  text: string;
  respond(message: { text: string; response_type: "ephemeral" | "in_channel" }): Promise<unknown>;
}

export interface StatsCommandDeps {
  api: Pick<SlackApi, "upload" | "openDm">;
  insights: Pick<InsightsService, "answer">;
  logger: Logger;
}

const style = { bold: (text: string) => `*${text}*`, escape: escapeSlack, max: MAX_TEXT };

export function createStatsCommand(deps: StatsCommandDeps) {
  return async function handleStats(command: StatsCommand): Promise<void> {
    const tell = (text: string) => command.respond({ text, response_type: "ephemeral" });
    const parsed = parseStatsArguments(command.text);
    if ("usage" in parsed) return void (await tell(parsed.usage));
    const answer = await deps.insights.answer(parsed);
    if (answer.kind === "refused") return void (await tell(`${answer.message} ${STATS_USAGE}`));
    const chart = answer.kind === "report" ? answer.chart : undefined;
    if (!chart) return void (await command.respond({ text: statsText(answer, style), response_type: parsed.public ? "in_channel" : "ephemeral" }));

    const upload = (channel: string, comment: string) =>
      deps.api.upload({ channel, data: chart.png, fileName: chart.fileName, title: answer.title, altText: chart.description, comment });
    if (parsed.public) {
      try {
        await upload(command.channel, statsText(answer, style));
      } catch (error) {
        // The words still reach the channel (a slash command's answer needs no membership); why the chart did not, only the asker.
        await command.respond({ text: statsText(answer, style), response_type: "in_channel" });
        await tell(chartFailure(error, deps.logger, "here"));
      }
      return;
    }
    let where: string;
    try {
      const dm = await deps.api.openDm(command.user);
      await upload(dm, style.bold(escapeSlack(answer.title)));
      where = dm === command.channel ? "_The chart follows._" : "_I sent you the chart in our direct messages: only you can see it there._";
    } catch (error) {
      where = chartFailure(error, deps.logger, "to you");
    }
    await tell(statsText(answer, style, [where]));
  };
}

/** Why the chart could not be shared, for the asker, and logged. */
function chartFailure(error: unknown, logger: Logger, where: string): string {
  if (!(error instanceof DeliveryError)) throw error;
  const code = slackErrorOf(error);
  logger.warn({ kind: error.kind, slackError: code, err: error.cause }, "the statistics chart could not be uploaded");
  if (code === "missing_scope") {
    const needed = (error.cause as { data?: { needed?: unknown } }).data?.needed;
    return `_The chart could not be sent ${where}: the app lacks the ${typeof needed === "string" ? needed : "files:write"} scope. An admin must reinstall the app to the workspace (README, "Slack")._`;
  }
  if (code === "not_in_channel" || code === "channel_not_found") return `_The chart could not be posted ${where}: I am not in this channel. Invite me with \`/invite @council\`._`;
  return `_The chart could not be sent ${where} (${code ?? error.kind})._`;
}
