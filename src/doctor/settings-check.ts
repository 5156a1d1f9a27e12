import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { loadDotEnv } from "../../config/dotenv.js";
import { type BotConfig, ConfigError, loadBotConfig } from "../../config/index.js";
import type { Env } from "../../config/load.js";
import { loadPresets, type PresetCatalog } from "../../config/presets.js";
import { type CheckLine, fail, pass, warn } from "./check-line.js";

// The settings as the bot reads them (.env under the environment) and the presets file. A
// mistake is a failed line with the loader's own words (the key, what is wrong, the fix), never
// a crash: everything after it is what the doctor could not check without them.

export interface SettingsOutcome {
  config?: Readonly<BotConfig>;
  presets?: PresetCatalog;
  lines: CheckLine[];
}

/** Loads `dotEnvPath` into `env` as the bot does, then the settings and the presets file. */
export function checkSettings(env: Env, dotEnvPath: string): SettingsOutcome {
  const warnings: string[] = [];
  const file = resolve(dotEnvPath);
  let config: Readonly<BotConfig>;
  try {
    loadDotEnv(dotEnvPath, env);
    config = loadBotConfig(env, { warn: (message) => warnings.push(message) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { lines: [...warnings.map((message) => warn(message)), failure(error)] };
  }
  const lines = [
    pass(existsSync(dotEnvPath) ? `settings from ${file} and the environment` : `settings from the environment and defaults (there is no ${file}; see .env.example)`),
    ...warnings.map((message) => warn(message)),
  ];
  try {
    const presets = loadPresets(config.COUNCIL_CONFIG, config.COUNCIL_PRESET);
    lines.push(pass(`presets from ${resolve(config.COUNCIL_CONFIG)}: ${presets.names.join(", ")} (default ${presets.defaultName})`));
    return { config, presets, lines };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { config, lines: [...lines, failure(error)] };
  }
}

/** The loader's own words: what cannot go on, and what to do about each problem. */
function failure(error: ConfigError): CheckLine {
  if (error.problems.length > 0) return fail(error.summary, error.problems.join("\n"));
  return fail(error.summary, error.fix ?? "see .env.example and README.md");
}
