import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, LogController } from "fastify";
import type { Logger } from "pino";
import type { WorkerConfig } from "../config/index.js";
import { type Admission, createAdmission } from "./admission.js";
import { createAllowlist } from "./allowlist.js";
import { createAuthHook } from "./auth.js";
import { boundedServerOptions, capConnectionsPerAddress, REQUEST_BOUNDS, type RequestBounds } from "./connection-guard.js";
import { WorkerHttpError } from "./errors.js";
import { createHostMetrics } from "../host/host-metrics.js";
import { registerJsonBodyParser } from "./json-body.js";
import { createMetrics } from "./metrics.js";
import { createModelCatalog, type ModelCatalog } from "./model-catalog.js";
import { createOllamaUpstream } from "./ollama-upstream.js";
import { createRequestLog } from "./request-log.js";
import { registerGenerationRoutes } from "./routes/generation.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerModelInfoRoutes } from "./routes/model-info.js";

export interface WorkerDeps {
  config: Pick<
    WorkerConfig,
    "OLLAMA_URL" | "WORKER_TOKEN" | "WORKER_MODELS" | "WORKER_PARALLEL" | "WORKER_QUEUE" | "WORKER_MAX_CONNECTIONS_PER_ADDRESS" | "WORKER_MAX_BODY_BYTES"
  >;
  logger: Logger;
  hostMetrics?: ReturnType<typeof createHostMetrics>;
  now?: () => number;
  /** How long a request's head and whole body may take to arrive; tests shorten them. */
  requestBounds?: RequestBounds;
}

/** What a drain did with the requests it found in flight. */
export interface DrainReport {
  finished: number;
  aborted: number;
}

export type WorkerServer = FastifyInstance & {
  /** Refuses new requests, gives those in flight `graceMs` to finish, then cuts off the rest. */
  drain(graceMs: number): Promise<DrainReport>;
};

const SHUTTING_DOWN_MESSAGE = "the worker is shutting down; retry on another worker or in a moment";

/** The worker's HTTP app, not listening: main.ts listens (and drains), tests inject() or listen on port 0. */
export function buildServer(deps: WorkerDeps): WorkerServer {
  const { config, logger } = deps;
  const now = deps.now ?? (() => performance.now());
  const requestBounds = deps.requestBounds ?? REQUEST_BOUNDS;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Checked while the body arrives (and at once from Content-Length), never after buffering it.
    bodyLimit: config.WORKER_MAX_BODY_BYTES,
    // Bounds on receiving a request, not on answering it: a generation may stream for minutes.
    http: boundedServerOptions(requestBounds),
    requestTimeout: requestBounds.requestTimeoutMs,
  });
  const connections = capConnectionsPerAddress(app.server, config.WORKER_MAX_CONNECTIONS_PER_ADDRESS);

  const ollama = createOllamaUpstream(config.OLLAMA_URL);
  const admission = createAdmission({ parallel: config.WORKER_PARALLEL, queue: config.WORKER_QUEUE });
  const allowlist = createAllowlist(config.WORKER_MODELS);
  const catalog = createModelCatalog(ollama, now);
  const metrics = createMetrics(admission);
  const requestLog = createRequestLog({ logger, metrics, now });
  const hostMetrics = deps.hostMetrics ?? createHostMetrics();

  registerJsonBodyParser(app);
  app.addHook("onRequest", connections.skipRefused);
  app.addHook("onRequest", async (request, reply) => requestLog.track(request, reply));
  const drainer = createDrainer(logger);
  app.addHook("onRequest", drainer.admit);
  if (config.WORKER_TOKEN !== undefined) app.addHook("onRequest", createAuthHook(config.WORKER_TOKEN));

  registerGenerationRoutes(app, { ollama, admission, allowlist, catalog, metrics, requestLog, now });
  registerModelInfoRoutes(app, { ollama, allowlist });
  registerHealthRoutes(app, { ollama, admission, allowlist, hostMetrics, metrics, now });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: `${request.method} ${request.url} is not served by the worker. It serves /api/chat, /api/generate, /api/tags, /api/ps, /api/show, /api/version, /health/* and /metrics; models are pulled or removed on PC2 with the ollama CLI.`,
    }),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // The caller has gone (mid-queue or mid-stream): nobody is left to answer.
    if (reply.raw.destroyed || request.socket.destroyed) return;
    if (error instanceof WorkerHttpError) {
      return reply.code(error.status).headers(error.headers()).send({ error: error.message });
    }
    const known = describeFrameworkError(error, config.WORKER_MAX_BODY_BYTES);
    if (known) return reply.code(known.status).send({ error: known.message });
    request.log.error({ err: error }, "unexpected error");
    return reply.code(500).send({ error: "internal error in the worker; its log has the details" });
  });
  const allowed = config.WORKER_MODELS;
  if (allowed) app.addHook("onListen", async () => void warnAboutMissingModels(catalog, allowed, logger));
  app.addHook("preClose", async () => closeConnectionsOnceIdle(app, admission));
  app.addHook("onClose", async () => ollama.close());
  return Object.assign(app, { drain: drainer.drain });
}

// Shutdown without losing answers. The listener stays open while draining so that a new
// request is told why it is refused (after app.close() it would meet a refused connection, or
// Fastify's bare "Service Unavailable" on a kept-alive one). Cutting a straggler's connection
// is what a caller hanging up does: the generation route then aborts its request to Ollama,
// which stops generating, and frees its slot.
function createDrainer(logger: Logger) {
  const inFlight = new Set<FastifyReply>();
  let draining = false;
  let onIdle: (() => void) | undefined;

  async function admit(_request: unknown, reply: FastifyReply) {
    if (draining) {
      return reply.code(503).headers({ connection: "close", "retry-after": "1" }).send({ error: SHUTTING_DOWN_MESSAGE });
    }
    inFlight.add(reply);
    reply.raw.once("close", () => {
      inFlight.delete(reply);
      if (inFlight.size === 0) onIdle?.();
    });
  }

  function idle(): Promise<void> {
    if (inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => (onIdle = resolve));
  }

  async function drain(graceMs: number): Promise<DrainReport> {
    draining = true;
    const started = inFlight.size;
    logger.info({ inFlight: started, graceSeconds: graceMs / 1000 }, "draining: new requests are refused, the ones in flight may finish");
    await new Promise<void>((resolve) => {
      const graceOver = setTimeout(resolve, graceMs);
      void idle().then(() => {
        clearTimeout(graceOver);
        resolve();
      });
    });
    const stragglers = [...inFlight];
    for (const reply of stragglers) reply.raw.destroy();
    await idle();
    const report = { finished: started - stragglers.length, aborted: stragglers.length };
    logger[report.aborted > 0 ? "warn" : "info"](report, "drained");
    return report;
  }

  return { admit, drain };
}

// Closing lets in-flight generations finish, but a connection that is merely open (a client's
// keep-alive spare, opened and never used) would hold the close forever: once no generation
// is admitted or waiting, every remaining connection is closed.
function closeConnectionsOnceIdle(app: FastifyInstance, admission: Admission): void {
  const timer = setInterval(() => {
    if (admission.stats().every((lane) => lane.busy === 0 && lane.queued === 0)) {
      clearInterval(timer);
      app.server.closeAllConnections();
    }
  }, 50);
  timer.unref();
}

/** Names each WORKER_MODELS entry Ollama does not have, so a typo shows at start and not as a 404 later. */
async function warnAboutMissingModels(catalog: ModelCatalog, allowed: readonly string[], logger: Logger): Promise<void> {
  try {
    await catalog.refresh();
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, "could not check WORKER_MODELS against Ollama's models");
    return;
  }
  const missing = allowed.filter((model) => !catalog.has(model));
  if (missing.length > 0) {
    logger.warn({ missing }, `WORKER_MODELS names models Ollama does not have: ${missing.join(", ")}; run \`ollama pull <model>\` on this machine, or fix the names`);
  }
}

function describeFrameworkError(error: FastifyError, bodyLimit: number): { status: number; message: string } | undefined {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const mib = Number((bodyLimit / (1024 * 1024)).toFixed(1));
    return {
      status: 413,
      message: `the request body is larger than the worker's limit of ${bodyLimit} bytes (${mib} MiB); send fewer or smaller images, or a shorter prompt, or raise WORKER_MAX_BODY_BYTES on the worker`,
    };
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, message: error.message };
  }
  return undefined;
}
