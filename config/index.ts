import { type BotConfig, botSettings } from "./bot.js";
import { dotEnvKeysOf } from "./dotenv.js";
import { type Env, loadConfig } from "./load.js";
import { type WorkerConfig, workerSettings } from "./worker.js";

export { ConfigError } from "./load.js";
export type { BotConfig } from "./bot.js";
export type { WorkerConfig } from "./worker.js";

// The bot and the worker may share one .env on a single machine, so each process must
// recognise every process's keys as settings, not as typos.
const KNOWN_SETTINGS = [...new Set([...Object.keys(workerSettings.shape), ...Object.keys(botSettings.shape)])];

export interface LoadSettingsOptions {
  /**
   * Receives the warning about each key of the shell's environment that looks like a setting
   * but is not one. Default: standard error, once per key and process.
   */
  warn?: (message: string) => void;
}

export function loadWorkerConfig(env: Env = process.env, options: LoadSettingsOptions = {}): Readonly<WorkerConfig> {
  return loadConfig(workerSettings, env, { process: "worker", knownKeys: KNOWN_SETTINGS, ...originsOf(env, options) });
}

export function loadBotConfig(env: Env = process.env, options: LoadSettingsOptions = {}): Readonly<BotConfig> {
  return loadConfig(botSettings, env, { process: "bot", knownKeys: KNOWN_SETTINGS, ...originsOf(env, options) });
}

/**
 * Which keys are the user's own. In an environment .env was loaded into (process.env, as the
 * entry points do), only the file's keys are: the rest came from the shell. An object given by
 * code holds nothing but settings, every key checked.
 */
function originsOf(env: Env, options: LoadSettingsOptions) {
  const fileKeys = dotEnvKeysOf(env);
  if (fileKeys === undefined && env !== process.env) return {};
  return { isOwnKey: (key: string) => fileKeys?.has(key) === true, warn: options.warn ?? warnOncePerProcess };
}

// A shell variable is worth one line per process, not one per load: each entry point loads its
// settings once, but nothing stops a later caller in the same process from loading them again.
const warned = new Set<string>();
function warnOncePerProcess(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`${message}\n`);
}
