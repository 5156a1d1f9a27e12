import { loadDotEnv } from "../config/dotenv.js";
import { ConfigError, loadWorkerConfig } from "../config/index.js";
import { createLogger } from "../config/logger.js";
import { isLoopback } from "../config/worker.js";
import { buildServer } from "./server.js";

// How long in-flight generations may run on after SIGTERM before the worker exits anyway.
const SHUTDOWN_GRACE_MS = 30_000;

async function main(): Promise<void> {
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

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: no new requests, waiting for the ones in flight");
    setTimeout(() => {
      logger.warn("in-flight requests did not finish in time; exiting anyway");
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
    app.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`council worker failed to start: ${(error as Error).message}`);
  }
  process.exit(1);
});
