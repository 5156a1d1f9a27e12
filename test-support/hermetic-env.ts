import { OUR_PREFIXES } from "../config/load.js";

// What the developer's shell exports must not change what a test sees: council settings
// (WORKER_URLS, DISCORD_TOKEN, …), Ollama's, proxies that would send the fakes' 127.0.0.1
// traffic elsewhere, and colour switches that change logged text. vitest.config.ts removes them
// in vitest's own process, before it starts the workers that run the tests, so the workers and
// every process a test spawns inherit an environment without them.
const HOSTILE = new RegExp(
  `^(${[...OUR_PREFIXES, "OLLAMA_"].join("|")})|^(LOG_LEVEL|HTTPS?_PROXY|ALL_PROXY|NO_PROXY|NODE_USE_ENV_PROXY|FORCE_COLOR|NO_COLOR)$`,
  "i",
);

/** Deletes the variables a test must not inherit from `env`; returns their names. */
export function removeHostileVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  const removed = Object.keys(env).filter((key) => HOSTILE.test(key));
  for (const key of removed) delete env[key];
  return removed;
}
