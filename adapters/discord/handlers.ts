import { type APIInteraction, ApplicationCommandType, InteractionResponseType, InteractionType } from "discord.js";
import type { Logger } from "pino";
import type { PresetCatalog } from "../../config/presets.js";
import type { CouncilService } from "../../src/council-service.js";
import type { HealthReporter } from "../../src/health.js";
import type { InsightsService } from "../../src/insights/insights-service.js";
import type { RecentErrors } from "../../src/recent-errors.js";
import type { QuestionFiles } from "../shared/question-files.js";
import type { AccessRules } from "./access.js";
import type { ChannelLimiters } from "./channel-limiters.js";
import { COUNCIL_COMMAND, HEALTH_COMMAND, STATS_COMMAND } from "./commands.js";
import { type Ack, createCouncilCommand, privateReply } from "./council-command.js";
import type { DiscordApi } from "./discord-api.js";
import { createFollowUpHandler, type ThreadMessage } from "./follow-up.js";
import { createHealthCommand } from "./health-command.js";
import type { CommandInteraction } from "./interaction.js";
import type { ShownCouncil } from "./show-council.js";
import { createStatsCommand } from "./stats-command.js";

// Every incoming Discord event goes through here, whichever receiver brought it (gateway or
// HTTP): one awaited error boundary per event, so a failure is logged and recorded, never
// thrown at the receiver.

export interface DiscordHandlerDeps {
  presets: PresetCatalog;
  councils: CouncilService;
  api: DiscordApi;
  access: AccessRules;
  health: HealthReporter;
  insights: Pick<InsightsService, "prepare">;
  errors: RecentErrors;
  logger: Logger;
  botUserId: () => string | undefined;
  attachOverChars: number;
  minEditIntervalMs: number;
  channels: ChannelLimiters;
  /** COUNCIL_TIMELINE: each council's details end with its timeline image. */
  timeline: boolean;
  /** Fetches, reads and checks a question's files (/council's options, a thread mention's attachments). */
  files: QuestionFiles;
  now?: () => number;
}

export function createDiscordHandlers(deps: DiscordHandlerDeps) {
  const council = createCouncilCommand(deps);
  const followUp = createFollowUpHandler(deps);
  const health = createHealthCommand(deps);
  const stats = createStatsCommand(deps);
  const recordFailures = (shown: ShownCouncil | undefined) => {
    if (shown) deps.errors.recordCouncil(shown.view);
  };

  async function guarded(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      deps.logger.error({ err: error }, `${what} failed`);
      deps.errors.record(what, error instanceof Error ? error.message : String(error));
    }
  }

  /** An interaction; `ack` must be called once, within Discord's 3 seconds. */
  function onInteraction(interaction: APIInteraction, ack: Ack): Promise<void> {
    return guarded(`interaction ${interaction.id}`, async () => {
      if (interaction.type === InteractionType.Ping) return ack({ type: InteractionResponseType.Pong });
      if (interaction.type !== InteractionType.ApplicationCommand || interaction.data.type !== ApplicationCommandType.ChatInput) {
        return ack(privateReply("The council only answers /council, /council-health and /council-stats."));
      }
      const command = interaction as CommandInteraction;
      if (command.data.name === COUNCIL_COMMAND) return recordFailures(await council(command, ack));
      if (command.data.name === HEALTH_COMMAND) return health(command, ack);
      if (command.data.name === STATS_COMMAND) return stats(command, ack);
      return ack(privateReply(`Unknown command /${command.data.name}; run \`npm run register\` again.`));
    });
  }

  function onThreadMessage(message: ThreadMessage): Promise<void> {
    return guarded(`message ${message.id}`, async () => recordFailures(await followUp(message)));
  }

  return { onInteraction, onThreadMessage };
}

export type DiscordHandlers = ReturnType<typeof createDiscordHandlers>;
