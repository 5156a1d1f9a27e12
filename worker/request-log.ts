import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { GenerationOutcome } from "./generation-watch.js";
import type { Metrics } from "./metrics.js";

// One log line and one set of metric updates per request, written when the connection is done
// with it: Fastify's onResponse never fires for a caller who hung up mid-stream, and those are
// exactly the requests worth seeing.

export interface GenerationRecord {
  endpoint: string;
  model: string;
  queueMs?: number;
  outcome?: GenerationOutcome;
}

/** nginx's convention for "the client closed the connection before the response ended". */
const CALLER_GONE = "499";

export function createRequestLog(deps: { logger: Logger; metrics: Metrics; now: () => number }) {
  const generations = new WeakMap<FastifyRequest, GenerationRecord>();

  function track(request: FastifyRequest, reply: FastifyReply): void {
    const startedAt = deps.now();
    reply.raw.once("close", () => write(request, reply, startedAt));
  }

  function noteGeneration(request: FastifyRequest, record: GenerationRecord): void {
    generations.set(request, record);
  }

  function write(request: FastifyRequest, reply: FastifyReply, startedAt: number): void {
    const totalMs = deps.now() - startedAt;
    const generation = generations.get(request);
    const outcome = generation?.outcome;
    const status = !reply.raw.writableFinished
      ? CALLER_GONE
      : outcome?.streamError !== undefined
        ? "stream-error"
        : String(reply.raw.statusCode);
    const endpoint = generation?.endpoint ?? request.routeOptions.url ?? "unknown";
    const model = generation?.model ?? "";

    deps.metrics.requests.inc({ endpoint, model, status });
    if (generation) {
      deps.metrics.duration.observe({ endpoint, model }, totalMs / 1000);
      if (outcome?.promptTokens) deps.metrics.tokens.inc({ model, direction: "in" }, outcome.promptTokens);
      if (outcome?.completionTokens) deps.metrics.tokens.inc({ model, direction: "out" }, outcome.completionTokens);
      if (outcome?.firstChunkAt !== undefined) {
        deps.metrics.firstChunk.observe({ model }, (outcome.firstChunkAt - startedAt) / 1000);
      }
    }

    const line = {
      method: request.method,
      path: request.url,
      status,
      ...(generation && {
        model,
        queueMs: round(generation.queueMs),
        firstChunkMs: round(outcome?.firstChunkAt === undefined ? undefined : outcome.firstChunkAt - startedAt),
        promptTokens: outcome?.promptTokens,
        completionTokens: outcome?.completionTokens,
        doneReason: outcome?.doneReason,
        streamError: outcome?.streamError,
      }),
      totalMs: round(totalMs),
    };
    const succeeded = /^[23]\d\d$/.test(status);
    deps.logger[succeeded ? "info" : "warn"](line, "request");
  }

  return { track, noteGeneration };
}

function round(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}
