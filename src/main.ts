import { runConsole } from "../adapters/console/interactive.js";
import { openCoreFromEnv } from "../adapters/console/open-core.js";
import { ConfigError } from "../config/index.js";

// The composition root of PC1: settings, logger, core, and the front ends that are configured.
// No chat platform is configured here, so the console council is the front end: the way a
// newcomer tries the council with nothing but a local Ollama.

async function main(): Promise<void> {
  try {
    const core = openCoreFromEnv();
    // Loading the default preset's models now spares the first question their cold load.
    // What cannot load is what the start-up probe reports, so the outcome needs no second report.
    void core.engine.preload(core.presets.get());
    await runConsole(core, { input: process.stdin, output: process.stdout });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  }
  // Leave once stdout is flushed, rather than wait for idle keep-alive connections to time out.
  process.stdout.write("", () => process.exit());
}

await main();
