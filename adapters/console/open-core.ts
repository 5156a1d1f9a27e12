import { loadDotEnv } from "../../config/dotenv.js";
import { loadBotConfig } from "../../config/index.js";
import { createLogger } from "../../config/logger.js";
import { type Core, createCore } from "../../src/core.js";

/**
 * The core from .env and the environment, for the console's entry points. Logs go to stderr,
 * so stdout stays clean for --json, and only warnings and worse unless LOG_LEVEL is set: the
 * rendered council already says what happens. Throws ConfigError on a bad setting.
 */
export function openCoreFromEnv(env: NodeJS.ProcessEnv = process.env): Core {
  loadDotEnv();
  const config = loadBotConfig(env);
  const level = env.LOG_LEVEL?.trim() ? config.LOG_LEVEL : "warn";
  const logger = createLogger({ level, secrets: [config.WORKER_TOKEN], stream: "stderr" });
  return createCore(config, logger);
}
