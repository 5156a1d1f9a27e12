import type { AttachmentInput, RecordedCall } from "../../test-support/fake-discord/index.js";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";
import { createInteractionSender, type InteractionSender } from "../../test-support/fake-discord/http-interactions.js";
import { freePort } from "../../test-support/free-port.js";
import { startTestCouncil } from "../../test-support/test-council.js";
import { startChatBots } from "../shared/chat-bots.js";
import { createRecentErrors } from "../../src/recent-errors.js";
import { createHealthReporter } from "../../src/health.js";
import { createInsightsService } from "../../src/insights/insights-service.js";
import type { PlatformMetrics } from "../../src/metrics/bot-metrics.js";
import { createDiscordBot } from "./discord-bot.js";

// For the Discord adapter's tests: the real discord.js client of the real bot, logged in to
// the fake Discord, asking the real core in front of the fake Ollama. In http mode the bot
// serves signed interactions instead, and `sender` posts them as Discord does.

export const BOT_TOKEN = "fake-discord-bot-token-0123456789";

export interface WorldOptions {
  workerUrl?: string;
  /** Per-channel edit limit of the fake (Discord's is about 5 per 5 s). */
  edits?: { limit: number; windowMs: number };
  /** COUNCIL_MAX_IN_FLIGHT (default 4). */
  maxInFlight?: number;
  minEditIntervalMs?: number;
  channelEditIntervalMs?: number;
  decodeTokensPerSecond?: number;
  env?: Record<string, string>;
  now?: () => number;
  /**
   * Another world's fake Discord, for a bot started again on the same platform (with the same
   * COUNCIL_DB in `env`): this world logs in to it and leaves it open when it closes.
   */
  discord?: FakeDiscord;
  /** DISCORD_MODE (default gateway). */
  mode?: "gateway" | "http";
  /** Another world's sender (http mode), so a bot started again checks the same key. */
  sender?: InteractionSender;
  /** What the bot counts its 429s into. */
  metrics?: PlatformMetrics;
  /** More fake models and presets for the test council (FILE_TEST_COUNCIL, say). */
  testCouncil?: Pick<Parameters<typeof startTestCouncil>[0] & {}, "models" | "presets">;
}

export async function startDiscordWorld(options: WorldOptions = {}) {
  const ownsDiscord = options.discord === undefined;
  const discord = options.discord ?? (await startFakeDiscord({ token: BOT_TOKEN, rateLimits: { edits: { limit: 5, windowMs: 1_000, advertised: false, ...options.edits } } }));
  const http = options.mode === "http";
  const sender = http ? (options.sender ?? createInteractionSender(discord)) : undefined;
  const council = await startTestCouncil({
    decodeTokensPerSecond: options.decodeTokensPerSecond ?? 60,
    ...(options.workerUrl && { workerUrl: options.workerUrl }),
    ...options.testCouncil,
    env: {
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_API_URL: discord.restBase,
      // Attached files come from the fake's CDN, on its port.
      DISCORD_FILE_HOSTS: discord.url,
      ...(options.maxInFlight && { COUNCIL_MAX_IN_FLIGHT: String(options.maxInFlight) }),
      ...(sender && { DISCORD_MODE: "http", DISCORD_PUBLIC_KEY: sender.publicKeyHex, DISCORD_HTTP_PORT: String(await freePort()) }),
      ...options.env,
    },
  });
  const config = council.config;
  const core = council.openCore();
  const service = council.openCouncils(core);
  const { councils, store, db } = service;
  const insights = createInsightsService({ db, presets: core.presets, database: config.COUNCIL_DB, logger: council.logs.logger });
  const bot = createDiscordBot({
    config: { ...config, DISCORD_TOKEN: BOT_TOKEN, DISCORD_APP_ID: discord.applicationId },
    presets: core.presets,
    councils,
    store,
    health: createHealthReporter({ memberUrls: config.WORKER_URLS, chairmanUrl: config.CHAIRMAN_URL }),
    insights,
    errors: createRecentErrors(),
    logger: council.logs.logger,
    minEditIntervalMs: options.minEditIntervalMs ?? 200,
    channelEditIntervalMs: options.channelEditIntervalMs ?? 250,
    ...(options.now && { now: options.now }),
    ...(options.metrics && { metrics: options.metrics }),
  });
  // As src/main.ts starts it: a previous run's unfinished councils (on a shared COUNCIL_DB) are marked interrupted first.
  const { interrupted, shown: shownInterrupted } = await startChatBots([bot], councils, council.logs.logger);
  let stopped: Promise<void> | undefined;
  const stopBot = () => (stopped ??= bot.stop());
  const interactionsUrl = http ? `${bot.url?.() ?? ""}/interactions` : undefined;

  return {
    discord,
    council,
    councils,
    store,
    bot,
    /** The world's own connection to COUNCIL_DB. */
    db,
    /** Posts signed interactions to the bot (http mode). */
    sender,
    /** The bot's Interactions Endpoint URL (http mode). */
    interactionsUrl,
    /** The councils a previous run on the same COUNCIL_DB left unfinished, marked interrupted at start, and how many cards were edited to say so. */
    interrupted,
    shownInterrupted,
    /** Sends any slash command as Discord would (over the gateway, or signed in http mode); resolves with the interaction. */
    async command(name: string, options: Record<string, string | number | boolean> = {}, extra: { user?: string; roles?: string[]; channelId?: string } = {}) {
      const interaction = discord.interactionCommand({
        name,
        options,
        ...(extra.user && { user: { id: extra.user } }),
        ...(extra.roles && { roles: extra.roles }),
        ...(extra.channelId && { channelId: extra.channelId }),
      });
      if (sender && interactionsUrl) await sender.deliver(interactionsUrl, sender.sign(interaction));
      else discord.dispatch("INTERACTION_CREATE", interaction);
      return interaction;
    },
    /** Runs /council (with files for its file options, by option name) and resolves with the interaction once it is sent. */
    async ask(question: string, extra: { preset?: string; private?: boolean; user?: string; roles?: string[]; files?: Record<string, AttachmentInput> } = {}) {
      const interaction = discord.interactionCommand({
        name: "council",
        options: { question, ...(extra.preset && { preset: extra.preset }), ...(extra.private !== undefined && { private: extra.private }) },
        ...(extra.user && { user: { id: extra.user } }),
        ...(extra.roles && { roles: extra.roles }),
        ...(extra.files && { attachments: extra.files }),
      });
      if (sender && interactionsUrl) await sender.deliver(interactionsUrl, sender.sign(interaction));
      else discord.dispatch("INTERACTION_CREATE", interaction);
      return interaction;
    },
    /** The last card the bot delivered for this interaction (through its token or, later, the channel message). */
    finalCard: (timeoutMs = 15_000) => discord.waitForCall((call) => isFinalCard(call), timeoutMs),
    /**
     * Stops the bot as a kill would, without draining: the database is closed first, so the
     * records of running councils stay as they are ("running"), then the bot goes offline, and
     * its councils stop calling the models. The fake Discord and the fake Ollama stay up.
     */
    async kill() {
      service.close();
      await stopBot();
      service.silence();
    },
    async close() {
      await stopBot();
      if (ownsDiscord) await discord.close();
      await council.close();
    },
  };
}

export function cardDescription(call: RecordedCall): string {
  const embeds = (call.body as { embeds?: Array<{ description?: string }> } | undefined)?.embeds;
  return embeds?.[0]?.description ?? "";
}

export function isCardEdit(call: RecordedCall): boolean {
  return (call.route === "editOriginal" || call.route === "editMessage") && cardDescription(call) !== "";
}

export function isFinalCard(call: RecordedCall): boolean {
  return isCardEdit(call) && /^\*\*(Council completed|Partial result|Council failed)/.test(cardDescription(call));
}

export type DiscordWorld = Awaited<ReturnType<typeof startDiscordWorld>>;
export type { FakeDiscord };
