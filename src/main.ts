import { runConsole } from "../adapters/console/interactive.js";
import { openCoreFromEnv } from "../adapters/console/open-core.js";
import { createDiscordBot } from "../adapters/discord/discord-bot.js";
import { createSlackBot } from "../adapters/slack/slack-bot.js";
import { createCouncilGate } from "../adapters/shared/council-gate.js";
import { loadDotEnv } from "../config/dotenv.js";
import { type BotConfig, ConfigError, loadBotConfig } from "../config/index.js";
import { createLogger, type Logger } from "../config/logger.js";
import { type Core, createCore } from "./core.js";
import { createHealthReporter } from "./health.js";
import { createRecentErrors } from "./recent-errors.js";

// The composition root of PC1: settings, logger, core, then the front ends that are
// configured. With no chat platform configured, the console council is the front end: the
// way a newcomer tries the council with nothing but a local Ollama.

/** Resolves "done" when the console council is left, "serving" once the chat bots are up. */
async function main(): Promise<"done" | "serving"> {
  loadDotEnv();
  const config = loadBotConfig();
  if (config.DISCORD_TOKEN === undefined && config.SLACK_BOT_TOKEN === undefined) {
    const core = openCoreFromEnv();
    preloadDefaultPreset(core);
    await runConsole(core, { input: process.stdin, output: process.stdout });
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
  for (const server of await core.probe()) {
    if (server.reachable) logger.info({ url: server.url, role: server.role, models: server.models.length }, "server reachable");
    else logger.warn({ url: server.url, role: server.role, reason: server.error }, "server not reachable; councils will say so until it is");
  }
  const gate = createCouncilGate({ maxInFlight: config.COUNCIL_MAX_IN_FLIGHT, userCooldownMs: config.COUNCIL_USER_COOLDOWN_SECONDS * 1000 });
  const health = createHealthReporter({ memberUrls: config.WORKER_URLS, chairmanUrl: config.CHAIRMAN_URL, token: config.WORKER_TOKEN });
  const errors = createRecentErrors();
  const bots: Array<{ start(): Promise<void>; stop(): Promise<void> }> = [];
  if (config.DISCORD_TOKEN && config.DISCORD_APP_ID) {
    bots.push(createDiscordBot({ config: { ...config, DISCORD_TOKEN: config.DISCORD_TOKEN, DISCORD_APP_ID: config.DISCORD_APP_ID }, core, gate, health, errors, logger }));
  }
  if (config.SLACK_BOT_TOKEN) {
    bots.push(createSlackBot({ config: { ...config, SLACK_BOT_TOKEN: config.SLACK_BOT_TOKEN }, core, gate, health, errors, logger }));
  }
  await Promise.all(bots.map((bot) => bot.start()));
  const stop = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await Promise.all(bots.map((bot) => bot.stop()));
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().then(
  (outcome) => {
    // Leave once stdout is flushed, rather than wait for idle keep-alive connections to time out.
    if (outcome === "done") process.stdout.write("", () => process.exit());
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `council failed to start: ${(error as Error).stack ?? String(error)}`}\n`);
    process.exit(2);
  },
);
