import { createHealthReporter } from "../../src/health.js";
import { createInsightsService } from "../../src/insights/insights-service.js";
import type { PlatformMetrics } from "../../src/metrics/bot-metrics.js";
import { startChatBots } from "../shared/chat-bots.js";
import { createRecentErrors } from "../../src/recent-errors.js";
import { type FakeSlack, startFakeSlack } from "../../test-support/fake-slack/index.js";
import { freePort } from "../../test-support/free-port.js";
import { startTestCouncil } from "../../test-support/test-council.js";
import { createSlackBot } from "./slack-bot.js";

// For the Slack adapter's tests: the real Bolt App of the real bot, talking to the fake Slack
// (Socket Mode or signed HTTP), asking the real core in front of the fake Ollama.

export const BOT_TOKEN = "xoxb-fake-bot-token-0123";
export const APP_TOKEN = "xapp-1-A0APP0001-fake-app-token";
export const SIGNING_SECRET = "fake-signing-secret-0123";

export interface SlackWorldOptions {
  mode?: "socket" | "http";
  workerUrl?: string;
  /** chat.update limit of the fake, per workspace (Slack's Tier 3 is about 50 a minute). */
  updates?: { limit: number; windowMs: number };
  updatesPerMinute?: number;
  minEditIntervalMs?: number;
  /** COUNCIL_MAX_IN_FLIGHT (default 4). */
  maxInFlight?: number;
  decodeTokensPerSecond?: number;
  adminUserIds?: string;
  /** More bot settings (COUNCIL_DB, say). */
  env?: Record<string, string>;
  /**
   * Another world's fake Slack, for a bot started again on the same platform (with the same
   * COUNCIL_DB in `env`): this world connects to it and leaves it open when it closes.
   */
  slack?: FakeSlack;
  /** What the bot counts its 429s into. */
  metrics?: PlatformMetrics;
  /** More fake models and presets for the test council (FILE_TEST_COUNCIL, say). */
  testCouncil?: Pick<Parameters<typeof startTestCouncil>[0] & {}, "models" | "presets">;
  /** The bot token's scopes on the fake (default: the manifest's). */
  scopes?: string[];
}

export async function startSlackWorld(options: SlackWorldOptions = {}) {
  const ownsSlack = options.slack === undefined;
  const slack = options.slack ?? (await startFakeSlack({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    users: [
      { id: "U0USER001", name: "tester" },
      { id: "U0ADMIN01", name: "admin", isAdmin: true },
    ],
    rateLimits: { "chat.update": { limit: options.updates?.limit ?? 50, windowMs: options.updates?.windowMs ?? 60_000 } },
    ...(options.scopes && { scopes: options.scopes }),
  }));
  const mode = options.mode ?? "socket";
  const port = mode === "http" ? await freePort() : 8003;
  const council = await startTestCouncil({
    decodeTokensPerSecond: options.decodeTokensPerSecond ?? 60,
    ...(options.workerUrl && { workerUrl: options.workerUrl }),
    ...options.testCouncil,
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_MODE: mode,
      SLACK_API_URL: slack.apiUrl,
      // Shared files come from the fake's files-pri, on its port.
      SLACK_FILE_HOSTS: slack.url,
      SLACK_HTTP_PORT: String(port),
      SLACK_ADMIN_USER_IDS: options.adminUserIds ?? "U0ADMIN01",
      ...(options.maxInFlight && { COUNCIL_MAX_IN_FLIGHT: String(options.maxInFlight) }),
      ...options.env,
    },
  });
  const config = council.config;
  const core = council.openCore();
  const service = council.openCouncils(core);
  const { councils, store, db } = service;
  const insights = createInsightsService({ db, presets: core.presets, database: config.COUNCIL_DB, logger: council.logs.logger });
  const bot = createSlackBot({
    config: { ...config, SLACK_BOT_TOKEN: BOT_TOKEN },
    presets: core.presets,
    councils,
    store,
    health: createHealthReporter({ memberUrls: config.WORKER_URLS, chairmanUrl: config.CHAIRMAN_URL }),
    insights,
    errors: createRecentErrors(),
    logger: council.logs.logger,
    minEditIntervalMs: options.minEditIntervalMs ?? 200,
    ...(options.updatesPerMinute && { updatesPerMinute: options.updatesPerMinute }),
    ...(options.metrics && { metrics: options.metrics }),
  });
  // As src/main.ts starts it: a previous run's unfinished councils (on a shared COUNCIL_DB) are marked interrupted first.
  const { interrupted, shown: shownInterrupted } = await startChatBots([bot], councils, council.logs.logger);
  let stopped: Promise<void> | undefined;
  const stopBot = () => (stopped ??= bot.stop());
  return {
    slack,
    council,
    councils,
    store,
    bot,
    /** The world's own connection to COUNCIL_DB. */
    db,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    /** The councils a previous run on the same COUNCIL_DB left unfinished, marked interrupted at start, and how many cards were edited to say so. */
    interrupted,
    shownInterrupted,
    /**
     * Stops the bot as a kill would, without draining: the database is closed first, so the
     * records of running councils stay as they are ("running"), then the app disconnects, and
     * its councils stop calling the models. The fake Slack and the fake Ollama stay up.
     */
    async kill() {
      service.close();
      await stopBot();
      service.silence();
    },
    async close() {
      await stopBot();
      if (ownsSlack) await slack.close();
      await council.close();
    },
  };
}

export type SlackWorld = Awaited<ReturnType<typeof startSlackWorld>>;
export type { FakeSlack };
