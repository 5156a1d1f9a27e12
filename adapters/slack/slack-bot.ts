import { App, webApi } from "@slack/bolt";
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
import { INBOUND_HTTP_LIMITS } from "../shared/inbound-http-limits.js";
import { showInterrupted } from "../shared/interrupted-cards.js";
import { createRateLimiter, type RateLimiter } from "../shared/workspace-limiter.js";
import { boltLogger } from "./bolt-logger.js";
import { createEventDedupe } from "../shared/event-dedupe.js";
import { fileLimitsOf } from "../../src/files/index.js";
import { createFileDownloader } from "../shared/file-download.js";
import { createQuestionFiles } from "../shared/question-files.js";
import { eventFiles, unreadableFiles } from "./shared-files.js";
import { createSlackHandlers } from "./handlers.js";
import { slackPresentation } from "./presentation.js";
import { createSlackApi, type MessageRef } from "./slack-api.js";
import { createSlackClients } from "./slack-clients.js";

// The Slack front end: Bolt's App in Socket Mode (the default) or over HTTP, both feeding the
// same handlers. Bolt acknowledges events as they arrive; commands are acknowledged first
// thing, before any work. Over HTTP, Bolt's HTTPReceiver creates its node:http server from the
// options given to start(): the same time bounds as Discord's endpoint (its body limit is
// Bolt's own, 4 MB).

/** chat.update is Tier 3: about 50 a minute per workspace; 45 leaves a margin. */
export const WORKSPACE_UPDATES_PER_MINUTE = 45;
/** At most one update a second per message. */
export const CARD_UPDATE_INTERVAL_MS = 1_000;

export interface SlackBotDeps {
  config: BotConfig & { SLACK_BOT_TOKEN: string };
  presets: PresetCatalog;
  councils: CouncilService;
  /** Where retried events' ids are kept across restarts. */
  store: Pick<CouncilStore, "claimEvent">;
  health: HealthReporter;
  /** What /council-stats answers. */
  insights: InsightsService;
  errors: RecentErrors;
  logger: Logger;
  /** Counts Slack's 429s (absent: not counted). */
  metrics?: PlatformMetrics;
  minEditIntervalMs?: number;
  updatesPerMinute?: number;
}

export function createSlackBot(deps: SlackBotDeps) {
  const { config } = deps;
  const logger = deps.logger.child({ module: "slack" });
  const socketMode = config.SLACK_MODE === "socket";
  const slackLogger = boltLogger(logger);
  const clientOptions = {
    // web-api appends the method name to this base.
    slackApiUrl: `${config.SLACK_API_URL}/`,
    // 429s go back to the live message, which coalesces instead of queueing stale updates.
    rejectRateLimitedCalls: true,
    // For calls that may be repeated; those that create something retry less (slack-clients).
    retryConfig: webApi.retryPolicies.rapidRetryPolicy,
    logger: slackLogger,
  };
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    logger: slackLogger,
    // A copy: Bolt writes into the object it is given.
    clientOptions: { ...clientOptions },
    ...(socketMode
      ? { socketMode: true, appToken: config.SLACK_APP_TOKEN ?? "" }
      : { signingSecret: config.SLACK_SIGNING_SECRET ?? "" }),
  });

  // Every call the adapter makes goes through app.client or the second client for creating
  // calls, which announce each 429 before they reject the call (rejectRateLimitedCalls above).
  const clients = createSlackClients(app.client, config.SLACK_BOT_TOKEN, clientOptions);
  const metrics = deps.metrics;
  if (metrics) for (const client of clients.all) client.on(webApi.WebClientEvent.RATE_LIMITED, () => metrics.rateLimited("slack"));

  const workspaces = new Map<string, RateLimiter>();
  const workspace = (teamId: string) => {
    let limiter = workspaces.get(teamId);
    if (!limiter) {
      limiter = createRateLimiter({ perMinute: deps.updatesPerMinute ?? WORKSPACE_UPDATES_PER_MINUTE });
      workspaces.set(teamId, limiter);
    }
    return limiter.schedule;
  };
  let botUserId: string | undefined;

  const api = createSlackApi(clients);
  const handlers = createSlackHandlers({
    presets: deps.presets,
    councils: deps.councils,
    api,
    dedupe: createEventDedupe({ claim: deps.store.claimEvent }),
    health: deps.health,
    insights: deps.insights,
    errors: deps.errors,
    workspace,
    adminUserIds: config.SLACK_ADMIN_USER_IDS ?? [],
    botUserId: () => botUserId,
    minEditIntervalMs: deps.minEditIntervalMs ?? CARD_UPDATE_INTERVAL_MS,
    timeline: config.COUNCIL_TIMELINE === "on",
    files: createQuestionFiles({
      downloader: createFileDownloader({
        platform: "Slack",
        allowedOrigins: config.SLACK_FILE_HOSTS,
        maxBytes: config.FILE_MAX_BYTES,
        timeoutMs: config.FILE_DOWNLOAD_TIMEOUT_SECONDS * 1000,
        // Slack's files are private: only the bot token (with files:read) reads them.
        headers: { Authorization: `Bearer ${config.SLACK_BOT_TOKEN}` },
        refusedAdvice: "Slack would not let the bot read the file: the app may lack the files:read permission. Ask the bot's admin to reinstall the Slack app (it adds the permission), then ask again.",
      }),
      limits: fileLimitsOf(config),
      councils: deps.councils,
    }),
    logger,
  });

  app.event("app_mention", async ({ event, body }) => {
    void handlers.onMention({
      eventId: body.event_id,
      teamId: body.team_id,
      channel: event.channel,
      user: event.user ?? "",
      text: event.text,
      ts: event.ts,
      ...(event.thread_ts && { threadTs: event.thread_ts }),
      files: eventFiles(event),
      unreadableFiles: unreadableFiles(event),
    });
  });
  // A direct message to the bot is a question too; one that shares files is a "file_share".
  app.message(async ({ message, body }) => {
    if (message.channel_type !== "im" || (message.subtype !== undefined && message.subtype !== "file_share") || !("text" in message) || !message.text) return;
    const event = body as { event_id: string; team_id: string };
    void handlers.onMention({
      eventId: event.event_id,
      teamId: event.team_id,
      channel: message.channel,
      user: message.user,
      text: message.text,
      ts: message.ts,
      ...(message.thread_ts && { threadTs: message.thread_ts }),
      files: eventFiles(message),
      unreadableFiles: unreadableFiles(message),
    });
  });
  app.command("/council", async ({ command, ack, respond }) => {
    await ack();
    void handlers.onCouncilCommand({ teamId: command.team_id, channel: command.channel_id, user: command.user_id, text: command.text, respond });
  });
  app.command("/council-health", async ({ command, ack, respond }) => {
    await ack();
    void handlers.onHealthCommand({ user: command.user_id, respond });
  });
  app.command("/council-stats", async ({ command, ack, respond }) => {
    await ack();
    void handlers.onStatsCommand({ channel: command.channel_id, user: command.user_id, text: command.text, respond });
  });
  app.error(async (error) => {
    logger.error({ err: error }, "Slack app error");
  });

  return {
    app,
    async start(): Promise<void> {
      const auth = await app.client.auth.test();
      botUserId = auth.user_id;
      if (socketMode) await app.start();
      else await app.start({ port: config.SLACK_HTTP_PORT, host: config.SLACK_HTTP_HOST }, INBOUND_HTTP_LIMITS);
      logger.info({ mode: config.SLACK_MODE, team: auth.team }, "Slack app connected");
    },
    /** Edits the cards of councils a previous run left unfinished; resolves with how many were edited. */
    showInterrupted: (records: readonly CouncilRecord[]) =>
      showInterrupted(records, {
        platform: "slack",
        placeOf: (record) => (isCardPlace(record.place) ? record.place : undefined),
        edit: (place, view) => workspace(place.teamId)(() => api.update(place, slackPresentation.card(view))),
        logger,
      }),
    async stop(): Promise<void> {
      await app.stop();
      await Promise.all([...workspaces.values()].map((limiter) => limiter.stop()));
    },
  };
}

export type SlackBot = ReturnType<typeof createSlackBot>;

function isCardPlace(place: unknown): place is MessageRef & { teamId: string } {
  const ref = place as Partial<MessageRef & { teamId: string }> | undefined;
  return typeof ref?.teamId === "string" && typeof ref.channel === "string" && typeof ref.ts === "string";
}
