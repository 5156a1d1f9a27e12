import { REST, RESTEvents } from "discord.js";
import type { Logger } from "pino";
import type { BotConfig } from "../../config/index.js";
import type { PresetCatalog } from "../../config/presets.js";
import type { CouncilService } from "../../src/council-service.js";
import type { CouncilRecord } from "../../src/store/council-record.js";
import type { CouncilStore } from "../../src/store/council-store.js";
import type { HealthReporter } from "../../src/health.js";
import type { InsightsService } from "../../src/insights/insights-service.js";
import type { PlatformMetrics } from "../../src/metrics/bot-metrics.js";
import type { RecentErrors } from "../../src/recent-errors.js";
import { fileLimitsOf } from "../../src/files/index.js";
import { createEventDedupe } from "../shared/event-dedupe.js";
import { createFileDownloader } from "../shared/file-download.js";
import { createQuestionFiles } from "../shared/question-files.js";
import { showInterrupted } from "../shared/interrupted-cards.js";
import { createAccessRules } from "./access.js";
import { createChannelLimiters } from "./channel-limiters.js";
import { createDiscordApi, type MessageRef } from "./discord-api.js";
import { createGatewayReceiver } from "./gateway-receiver.js";
import { createDiscordHandlers } from "./handlers.js";
import { buildInteractionsServer } from "./http-receiver.js";
import { discordPresentation } from "./presentation.js";

// The Discord front end: the same handlers behind either receiver (gateway by default, or HTTP
// interactions), started and stopped like Bolt's receivers.

/** Discord tolerates about one edit a second per message (reference.md). */
export const CARD_EDIT_INTERVAL_MS = 1_000;
/**
 * And about 5 edits per 5 s per channel, counted on Discord's side when the edits arrive: with
 * exactly 1 s between sends, network jitter lands a sixth inside some 5 s window. 4 per 5 s
 * leaves that margin.
 */
export const CHANNEL_EDIT_INTERVAL_MS = 1_250;

export interface DiscordBotDeps {
  config: BotConfig & { DISCORD_TOKEN: string; DISCORD_APP_ID: string };
  presets: PresetCatalog;
  councils: CouncilService;
  /** Where handled interaction ids are kept across restarts (either mode), so a replayed interaction starts nothing. */
  store: Pick<CouncilStore, "claimEvent">;
  health: HealthReporter;
  /** What /council-stats answers. */
  insights: InsightsService;
  errors: RecentErrors;
  logger: Logger;
  /** Counts Discord's 429s (absent: not counted). */
  metrics?: PlatformMetrics;
  minEditIntervalMs?: number;
  channelEditIntervalMs?: number;
  now?: () => number;
}

export interface DiscordBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Edits the cards of councils a previous run left unfinished; resolves with how many were edited. */
  showInterrupted(records: readonly CouncilRecord[]): Promise<number>;
  /** The HTTP receiver's URL once listening (http mode only). */
  url?: () => string;
}

export function createDiscordBot(deps: DiscordBotDeps): DiscordBot {
  const { config } = deps;
  const logger = deps.logger.child({ module: "discord" });
  // Either receiver claims each interaction id here before handling it, so a second delivery
  // (or one replayed after a restart) starts no second council.
  const dedupe = createEventDedupe({
    // Slack's event ids share the table: Discord's snowflakes get a prefix of their own.
    claim: (id: string, keepMs: number) => deps.store.claimEvent(`discord-interaction:${id}`, keepMs),
  });
  const gateway = config.DISCORD_MODE === "gateway" ? createGatewayReceiver({ token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL, logger, dedupe }) : undefined;
  const rest = gateway?.client.rest ?? new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  // discord.js waits out a 429 and sends again without telling its caller, so the hits are
  // counted where its REST client sees each response (listened to only when counted: a
  // listener makes it copy every response).
  const metrics = deps.metrics;
  if (metrics) {
    rest.on(RESTEvents.Response, (_request, response) => {
      if (response.status === 429) metrics.rateLimited("discord");
    });
  }
  const api = createDiscordApi(rest, config.DISCORD_APP_ID);
  const channels = createChannelLimiters(deps.channelEditIntervalMs ?? CHANNEL_EDIT_INTERVAL_MS);
  const handlers = createDiscordHandlers({
    presets: deps.presets,
    councils: deps.councils,
    api,
    access: createAccessRules({
      allowedGuilds: config.DISCORD_ALLOWED_GUILD_IDS,
      allowedChannels: config.DISCORD_ALLOWED_CHANNEL_IDS,
      allowedRoles: config.DISCORD_ALLOWED_ROLE_IDS,
      adminUsers: config.DISCORD_ADMIN_USER_IDS,
      adminRoles: config.DISCORD_ADMIN_ROLE_IDS,
    }),
    health: deps.health,
    insights: deps.insights,
    errors: deps.errors,
    logger,
    botUserId: () => gateway?.botUserId(),
    attachOverChars: config.DISCORD_ATTACH_OVER_CHARS,
    minEditIntervalMs: deps.minEditIntervalMs ?? CARD_EDIT_INTERVAL_MS,
    channels,
    timeline: config.COUNCIL_TIMELINE === "on",
    files: createQuestionFiles({
      downloader: createFileDownloader({
        platform: "Discord",
        allowedOrigins: config.DISCORD_FILE_HOSTS,
        maxBytes: config.FILE_MAX_BYTES,
        timeoutMs: config.FILE_DOWNLOAD_TIMEOUT_SECONDS * 1000,
      }),
      limits: fileLimitsOf(config),
      councils: deps.councils,
    }),
    ...(deps.now && { now: deps.now }),
  });

  const interruptedCards = (records: readonly CouncilRecord[]) =>
    showInterrupted(records, {
      platform: "discord",
      placeOf: (record) => (isMessageRef(record.place) ? record.place : undefined),
      edit: (ref, view) =>
        channels.forChannel(ref.channelId)(() => api.editMessage(ref, { embeds: [discordPresentation({ attachOverChars: config.DISCORD_ATTACH_OVER_CHARS, hasDetails: false }).card(view)] })).then(() => undefined),
      logger,
    });

  if (gateway) {
    gateway.connect(handlers, api);
    return {
      start: gateway.start,
      showInterrupted: interruptedCards,
      stop: async () => {
        await gateway.stop();
        await channels.stop();
      },
    };
  }
  const server = buildInteractionsServer(handlers, { publicKeyHex: config.DISCORD_PUBLIC_KEY ?? "", logger, dedupe });
  return {
    start: async () => {
      const address = await server.listen({ host: config.DISCORD_HTTP_HOST, port: config.DISCORD_HTTP_PORT });
      logger.info({ url: `${address}/interactions` }, "Discord interactions endpoint listening; set it as the Interactions Endpoint URL");
    },
    showInterrupted: interruptedCards,
    stop: async () => {
      await server.close();
      await channels.stop();
    },
    url: () => `http://${config.DISCORD_HTTP_HOST}:${(server.server.address() as { port: number }).port}`,
  };
}

function isMessageRef(place: unknown): place is MessageRef {
  const ref = place as Partial<MessageRef> | undefined;
  return typeof ref?.channelId === "string" && typeof ref.messageId === "string";
}
