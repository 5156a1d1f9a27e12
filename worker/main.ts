import { runsAfterCommandLine } from "../config/command-line.js";
import { loadDotEnv } from "../config/dotenv.js";
import { ConfigError, loadWorkerConfig } from "../config/index.js";
import { createLogger } from "../config/logger.js";
import { stopOnSignals } from "../config/stop-signals.js";
import { isLoopback } from "../config/worker.js";
import { buildServer } from "./server.js";
import { WORKER_HELP } from "./worker-help.js";

async function main(): Promise<void> {
  if (!runsAfterCommandLine(process.argv.slice(2), WORKER_HELP)) return;
  loadDotEnv();
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: [config.WORKER_TOKEN] });
  if (config.WORKER_TOKEN === undefined && isLoopback(config.WORKER_HOST)) {
    logger.warn("WORKER_TOKEN is not set: any program on this machine can use the worker (it listens on loopback only)");
  }
  const app = buildServer({ config, logger });
  await app.listen({ host: config.WORKER_HOST, port: config.WORKER_PORT });
  logger.info(
    { ollama: config.OLLAMA_URL, parallel: config.WORKER_PARALLEL, queue: config.WORKER_QUEUE, models: config.WORKER_MODELS ?? "all" },
    "worker ready",
  );

  stopOnSignals(
    {
      async drain() {
        await app.drain(config.WORKER_SHUTDOWN_GRACE_SECONDS * 1000);
        await app.close();
      },
      async now() {
        // No grace: the generations still running are cut off, their requests to Ollama aborted.
        await app.drain(0);
      },
    },
    logger,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`council worker failed to start: ${(error as Error).message}`);
  }
  process.exit(1);
});
