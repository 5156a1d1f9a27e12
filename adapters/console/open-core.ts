import type { BotConfig } from "../../config/index.js";
import { createLogger } from "../../config/logger.js";
import { type Core, createCore } from "../../src/core.js";
import { humanLogLines } from "./human-log.js";

/**
 * The core for the console's entry points, from the settings they loaded from `env` (.env
 * already loaded into it). Logs share the terminal with the console's text, so they are lines
 * of text on stderr (stdout stays clean for --json), and only errors unless LOG_LEVEL asks for
 * more: the console itself says what the probe and each council found, and a warning per
 * server down would bury the prompt.
 */
export function openCoreFromEnv(
  config: Readonly<BotConfig>,
  env: NodeJS.ProcessEnv = process.env,
  logTo: { write(text: string): unknown } = process.stderr,
): Core {
  const level = env.LOG_LEVEL?.trim() ? config.LOG_LEVEL : "error";
  const logger = createLogger({ level, secrets: [config.WORKER_TOKEN], destination: humanLogLines(logTo) });
  return createCore(config, logger);
}
