import { inputCanAsk, NO_PLATFORM_NOR_TERMINAL, SET_A_PLATFORM } from "../adapters/console/console-input.js";
import { runConsole } from "../adapters/console/interactive.js";
import { openCoreFromEnv } from "../adapters/console/open-core.js";
import { consoleRecorder } from "../adapters/console/recording.js";
import { createDiscordBot } from "../adapters/discord/discord-bot.js";
import { type ChatBot, startChatBots } from "../adapters/shared/chat-bots.js";
import { startMetricsServer } from "../adapters/shared/metrics-server.js";
import { createSlackBot } from "../adapters/slack/slack-bot.js";
import { runsAfterCommandLine, USAGE_EXIT_CODE } from "../config/command-line.js";
import { loadDotEnv } from "../config/dotenv.js";
import { type BotConfig, ConfigError, loadBotConfig } from "../config/index.js";
import { createLogger, type Logger } from "../config/logger.js";
import { stopOnSignals } from "../config/stop-signals.js";
import { BOT_HELP } from "./bot-help.js";
import { type Core, createCore } from "./core.js";
import { createHealthReporter } from "./health.js";
import { botExtraction } from "./files/extraction-workers.js";
import { botCharts } from "./insights/chart-process.js";
import { createInsightsService } from "./insights/insights-service.js";
import { STOP_NOW_CARDS_MS } from "./council-service.js";
import { createBotMetrics } from "./metrics/bot-metrics.js";
import { openCouncilService } from "./open-council-service.js";
import { createRecentErrors } from "./recent-errors.js";
import { StoreOpenError } from "./store/open-database.js";

// The composition root of PC1: settings, logger, core, then the front ends that are
// configured. With no chat platform configured, the console council is the front end: the
// way a newcomer tries the council with nothing but a local Ollama.

/** Resolves "done" when the console council is left (or the command line only asked for help), "serving" once the chat bots are up. */
async function main(): Promise<"done" | "serving"> {
  if (!runsAfterCommandLine(process.argv.slice(2), BOT_HELP)) return "done";
  loadDotEnv();
  const config = loadBotConfig();
  if (config.DISCORD_TOKEN === undefined && config.SLACK_BOT_TOKEN === undefined) {
    if (!inputCanAsk()) throw new ConfigError(NO_PLATFORM_NOR_TERMINAL, ["DISCORD_TOKEN", "SLACK_BOT_TOKEN"], { fix: SET_A_PLATFORM });
    const core = openCoreFromEnv(config);
    preloadDefaultPreset(core);
    const recorder = consoleRecorder(config, core.logger, (text) => process.stderr.write(`${text}\n`));
    try {
      await runConsole(core, { input: process.stdin, output: process.stdout, ...(recorder && { recorder }) });
    } finally {
      recorder?.close();
    }
    return "done";
  }
  const logger = createLogger({
    level: config.LOG_LEVEL,
    secrets: [config.WORKER_TOKEN, config.DISCORD_TOKEN, config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET],
  });
  const core = createCore(config, logger);
  preloadDefaultPreset(core);
  await runChatBot(config, core, logger);
  return "serving";
}

/**
 * Loading the default preset's models now spares the first question their cold load; what
 * cannot load is what the start-up probe reports, so the outcome needs no second report.
 */
function preloadDefaultPreset(core: Core): void {
  void core.engine.preload(core.presets.get());
}

async function runChatBot(config: BotConfig, core: Core, logger: Logger): Promise<void> {
  const metrics = config.METRICS_PORT === undefined ? undefined : createBotMetrics();
  const { councils, store, db, close } = openCouncilService(config, core.engine, logger, metrics);
  for (const server of await core.probe()) {
    if (server.reachable) logger.info({ url: server.url, role: server.role, models: server.models.length }, "server reachable");
    else logger.warn({ url: server.url, role: server.role, reason: server.error }, "server not reachable; councils will say so until it is");
  }
  const health = createHealthReporter({ memberUrls: config.WORKER_URLS, chairmanUrl: config.CHAIRMAN_URL, token: config.WORKER_TOKEN });
  const errors = createRecentErrors();
  // /council-stats on both platforms, from the same database the councils are recorded in.
  const insights = createInsightsService({ db, presets: core.presets, database: config.COUNCIL_DB, logger });
  const shared = { presets: core.presets, councils, health, insights, errors, logger, metrics: metrics?.platforms };
  const bots: ChatBot[] = [];
  if (config.DISCORD_TOKEN && config.DISCORD_APP_ID) {
    bots.push(createDiscordBot({ ...shared, store, config: { ...config, DISCORD_TOKEN: config.DISCORD_TOKEN, DISCORD_APP_ID: config.DISCORD_APP_ID } }));
  }
  if (config.SLACK_BOT_TOKEN) {
    bots.push(createSlackBot({ ...shared, store, config: { ...config, SLACK_BOT_TOKEN: config.SLACK_BOT_TOKEN } }));
  }
  const started = startChatBots(bots, councils, logger);
  const exposed =
    metrics && config.METRICS_PORT !== undefined
      ? startMetricsServer({ registry: metrics.registry, host: config.METRICS_HOST, port: config.METRICS_PORT, logger })
      : undefined;
  // While the bots connect already: a council may start as soon as one is connected.
  stopOnSignals(
    {
      async drain(signal) {
        logger.info({ signal, running: councils.inFlight(), waiting: councils.waiting(), graceSeconds: config.COUNCIL_SHUTDOWN_GRACE_SECONDS }, "stopping: no new councils, running ones may finish");
        const outcome = await councils.drain(config.COUNCIL_SHUTDOWN_GRACE_SECONDS * 1000);
        logger.info(outcome, "councils drained");
        // A bot is stopped once started (a second signal ends a start that hangs); one that failed to start ends the process anyway.
        await started;
        await Promise.all(bots.map((bot) => bot.stop()));
        await (await exposed)?.close();
        close();
        botCharts.close();
        botExtraction.close();
      },
      async now() {
        // The bots stay connected: the cards are edited through them.
        const outcome = await councils.stopNow(STOP_NOW_CARDS_MS);
        logger.warn(outcome, "councils marked interrupted");
      },
    },
    logger,
  );
  // Together: a port that cannot be listened on stops start-up, as a bot that cannot connect does.
  await Promise.all([started, exposed]);
}

main().then(
  (outcome) => {
    // Leave once stdout is flushed, rather than wait for idle keep-alive connections to time out.
    if (outcome === "done") process.stdout.write("", () => process.exit());
  },
  (error: unknown) => {
    // 2 is a start that cannot succeed until a setting or the database is fixed (systemd does
    // not restart it); 1 an unexpected failure (a platform unreachable at boot), worth a restart.
    const cannotStart = error instanceof ConfigError || error instanceof StoreOpenError;
    process.stderr.write(`${cannotStart ? error.message : `council failed to start: ${(error as Error).stack ?? String(error)}`}\n`);
    process.exit(cannotStart ? USAGE_EXIT_CODE : 1);
  },
);
