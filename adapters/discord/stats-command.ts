import { InteractionResponseType } from "discord.js";
import type { Logger } from "pino";
import type { InsightsAnswer, InsightsService } from "../../src/insights/insights-service.js";
import { DeliveryError, deliverWithRetries } from "../shared/delivery-error.js";
import { statsText } from "../shared/stats-text.js";
import type { AccessRules } from "./access.js";
import { type Ack, privateReply } from "./council-command.js";
import type { DiscordApi, MessagePayload } from "./discord-api.js";
import { type CommandInteraction, option } from "./interaction.js";
import { DISCORD_LIMITS } from "./limits.js";

// /council-stats [period] [preset] [public]: the leaderboard as text and the dashboard as a PNG,
// privately unless `public`. A bad period or preset is refused privately at once (the check
// is quick); otherwise the reply is deferred first, since computing and drawing take about
// half a second of Discord's 3, then filled in.

export interface StatsCommandDeps {
  api: DiscordApi;
  access: Pick<AccessRules, "statsDenied">;
  insights: Pick<InsightsService, "prepare">;
  logger: Logger;
}

export function createStatsCommand(deps: StatsCommandDeps) {
  return async function handleStats(interaction: CommandInteraction, ack: Ack): Promise<void> {
    const denied = deps.access.statsDenied(interaction);
    if (denied) return ack(privateReply(denied));
    const prepared = deps.insights.prepare({ period: option<string>(interaction, "period"), preset: option<string>(interaction, "preset") });
    if (prepared.kind === "refused") return ack(privateReply(prepared.message));
    const shown = option<boolean>(interaction, "public") === true;
    await ack({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: shown ? {} : { flags: 64 } });
    const answer = await prepared.reply();
    const message = statsMessage(answer);
    // Editing the deferred reply again shows the same message once: safe to retry.
    const edit = (payload: MessagePayload) => deliverWithRetries(() => deps.api.editOriginal(interaction.token, payload));
    try {
      await edit(message);
    } catch (error) {
      // Refused with the chart (too large for the server, say): the figures still beat "is thinking…" forever.
      if (!message.files || !(error instanceof DeliveryError) || (error.kind !== "invalid" && error.kind !== "forbidden")) throw error;
      deps.logger.warn({ kind: error.kind, err: error.cause }, "the statistics chart could not be attached");
      const reason = error.cause instanceof Error ? error.cause.message : error.kind;
      await edit(statsMessage(answer, `_The chart could not be attached (${reason})._`));
    }
  };
}

/** The reply with its chart attached, or with `insteadOfChart` said at its end and no file. */
export function statsMessage(answer: InsightsAnswer, insteadOfChart?: string): MessagePayload {
  if (answer.kind === "refused") return { content: answer.message };
  const content = statsText(answer, { bold: (text) => `**${text}**`, escape: (text) => text, max: DISCORD_LIMITS.content }, insteadOfChart === undefined ? [] : [insteadOfChart]);
  const chart = answer.kind === "report" && insteadOfChart === undefined ? answer.chart : undefined;
  return { content, ...(chart && { files: [{ name: chart.fileName, data: chart.png, contentType: "image/png", description: chart.description }] }) };
}
