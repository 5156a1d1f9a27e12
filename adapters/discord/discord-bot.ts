import { REST } from "discord.js";
import type { Logger } from "pino";
import type { BotConfig } from "../../config/index.js";
import type { Core } from "../../src/core.js";
import type { HealthReporter } from "../../src/health.js";
import type { RecentErrors } from "../../src/recent-errors.js";
import type { CouncilGate } from "../shared/council-gate.js";
import { createThreadMemory } from "../shared/thread-memory.js";
import { createAccessRules } from "./access.js";
import { createChannelLimiters } from "./channel-limiters.js";
import { createDiscordApi } from "./discord-api.js";
import { createGatewayReceiver } from "./gateway-receiver.js";
import { createDiscordHandlers } from "./handlers.js";
import { buildInteractionsServer } from "./http-receiver.js";

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
  core: Pick<Core, "engine" | "presets">;
  gate: CouncilGate;
  health: HealthReporter;
  errors: RecentErrors;
  logger: Logger;
  minEditIntervalMs?: number;
  channelEditIntervalMs?: number;
  now?: () => number;
}

export interface DiscordBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The HTTP receiver's URL once listening (http mode only). */
  url?: () => string;
}

export function createDiscordBot(deps: DiscordBotDeps): DiscordBot {
  const { config } = deps;
  const logger = deps.logger.child({ module: "discord" });
  const gateway = config.DISCORD_MODE === "gateway" ? createGatewayReceiver({ token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL, logger }) : undefined;
  const rest = gateway?.client.rest ?? new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const api = createDiscordApi(rest, config.DISCORD_APP_ID);
  const channels = createChannelLimiters(deps.channelEditIntervalMs ?? CHANNEL_EDIT_INTERVAL_MS);
  const handlers = createDiscordHandlers({
    core: deps.core,
    api,
    gate: deps.gate,
    access: createAccessRules({
      allowedGuilds: config.DISCORD_ALLOWED_GUILD_IDS,
      allowedChannels: config.DISCORD_ALLOWED_CHANNEL_IDS,
      allowedRoles: config.DISCORD_ALLOWED_ROLE_IDS,
      adminUsers: config.DISCORD_ADMIN_USER_IDS,
      adminRoles: config.DISCORD_ADMIN_ROLE_IDS,
    }),
    threads: createThreadMemory(),
    health: deps.health,
    errors: deps.errors,
    logger,
    botUserId: () => gateway?.botUserId(),
    attachOverChars: config.DISCORD_ATTACH_OVER_CHARS,
    minEditIntervalMs: deps.minEditIntervalMs ?? CARD_EDIT_INTERVAL_MS,
    channels,
    ...(deps.now && { now: deps.now }),
  });

  if (gateway) {
    gateway.connect(handlers, api);
    return {
      start: gateway.start,
      stop: async () => {
        await gateway.stop();
        await channels.stop();
      },
    };
  }
  const server = buildInteractionsServer(handlers, { publicKeyHex: config.DISCORD_PUBLIC_KEY ?? "", logger });
  return {
    start: async () => {
      const address = await server.listen({ host: config.DISCORD_HTTP_HOST, port: config.DISCORD_HTTP_PORT });
      logger.info({ url: `${address}/interactions` }, "Discord interactions endpoint listening; set it as the Interactions Endpoint URL");
    },
    stop: async () => {
      await server.close();
      await channels.stop();
    },
    url: () => `http://${config.DISCORD_HTTP_HOST}:${(server.server.address() as { port: number }).port}`,
  };
}
