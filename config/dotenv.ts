import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { ConfigError, type Env } from "./load.js";

// .env is the user's own file, so a key there that is not a setting is a typo worth stopping
// for. The process environment is the shell's, shared with every other tool (DISCORD_WEBHOOK
// for a script, SLACK_WEBHOOK_URL for CI), so its strangers only draw a warning. The loader
// tells the two apart by the keys the file holds, remembered here for each environment object
// it was loaded into.
const keysFromFile = new WeakMap<Env, ReadonlySet<string>>();

/**
 * Reads .env (when there is one) into `env`; variables already set there win over the file.
 * Throws ConfigError when the file exists but cannot be read.
 */
export function loadDotEnv(path = ".env", env: Env = process.env): void {
  const file = readDotEnv(path);
  for (const [key, value] of Object.entries(file)) env[key] ??= value;
  keysFromFile.set(env, new Set(Object.keys(file)));
}

/** The settings in a .env file, none when there is no such file (Node's own parser, as `node --env-file` reads it). */
export function readDotEnv(path = ".env"): Env {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`council cannot read ${path}: ${(error as Error).message}.`, [], { fix: "make it a readable file, or remove it." });
  }
  return parseEnv(text);
}

/** The keys .env put into `env` (or set there too), undefined when loadDotEnv never loaded into it. */
export function dotEnvKeysOf(env: Env): ReadonlySet<string> | undefined {
  return keysFromFile.get(env);
}
