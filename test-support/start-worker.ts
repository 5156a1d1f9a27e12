import type { AddressInfo } from "node:net";
import { DEFAULT_MAX_BODY_BYTES } from "../config/worker.js";
import type { WorkerDeps } from "../worker/server.js";
import { buildServer } from "../worker/server.js";
import { captureLogs } from "./log-capture.js";

type WorkerSettings = WorkerDeps["config"];

/** A worker listening on 127.0.0.1 (any free port) in front of `ollamaUrl`, with its logs captured. */
export async function startWorker(ollamaUrl: string, settings: Partial<WorkerSettings> = {}, options: Pick<WorkerDeps, "requestBounds"> = {}) {
  const config: WorkerSettings = {
    OLLAMA_URL: ollamaUrl,
    WORKER_TOKEN: undefined,
    WORKER_MODELS: undefined,
    WORKER_PARALLEL: 1,
    WORKER_QUEUE: 32,
    WORKER_MAX_CONNECTIONS_PER_ADDRESS: 256,
    WORKER_MAX_BODY_BYTES: DEFAULT_MAX_BODY_BYTES,
    ...settings,
  };
  const logs = captureLogs([config.WORKER_TOKEN]);
  const app = buildServer({ config, logger: logs.logger, ...options });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}
