import { type BotConfig, botSettings } from "./bot.js";
import { type Env, loadConfig } from "./load.js";
import { type WorkerConfig, workerSettings } from "./worker.js";

export { ConfigError } from "./load.js";
export type { BotConfig } from "./bot.js";
export type { WorkerConfig } from "./worker.js";

// The bot and the worker may share one .env on a single machine, so each process must
// recognise every process's keys as settings, not as typos.
const KNOWN_SETTINGS = [...new Set([...Object.keys(workerSettings.shape), ...Object.keys(botSettings.shape)])];

export function loadWorkerConfig(env: Env = process.env): Readonly<WorkerConfig> {
  return loadConfig(workerSettings, env, { process: "worker", knownKeys: KNOWN_SETTINGS });
}

export function loadBotConfig(env: Env = process.env): Readonly<BotConfig> {
  return loadConfig(botSettings, env, { process: "bot", knownKeys: KNOWN_SETTINGS });
}
