import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Admission } from "../admission.js";
import type { Allowlist } from "../allowlist.js";
import { watchGeneration } from "../generation-watch.js";
import type { Metrics } from "../metrics.js";
import type { ModelCatalog } from "../model-catalog.js";
import type { OllamaUpstream } from "../ollama-upstream.js";
import { relayToCaller } from "../relay-to-caller.js";
import { chatBody, generateBody, parseBody } from "../request-bodies.js";
import type { createRequestLog } from "../request-log.js";

interface GenerationDeps {
  ollama: OllamaUpstream;
  admission: Admission;
  allowlist: Allowlist;
  catalog: ModelCatalog;
  metrics: Metrics;
  requestLog: ReturnType<typeof createRequestLog>;
  now: () => number;
}

type GenerationEndpoint = "/api/chat" | "/api/generate";

/** POST /api/chat and /api/generate: admitted per model, then passed through chunk by chunk. */
export function registerGenerationRoutes(app: FastifyInstance, deps: GenerationDeps): void {
  const routes: Array<[GenerationEndpoint, z.ZodType<{ model: string }>]> = [
    ["/api/chat", chatBody],
    ["/api/generate", generateBody],
  ];
  for (const [endpoint, schema] of routes) {
    app.post(endpoint, async (request, reply) => proxy(endpoint, parseBody(schema, request.body), request, reply));
  }

  async function proxy(endpoint: GenerationEndpoint, body: { model: string }, request: FastifyRequest, reply: FastifyReply) {
    deps.allowlist.check(body.model);
    // Lanes and metric series exist only for models Ollama has, under the name it lists; the
    // request itself keeps the caller's spelling, which Ollama echoes back in its answer.
    const model = await deps.catalog.resolve(body.model);
    const record: Parameters<typeof deps.requestLog.noteGeneration>[1] = { endpoint, model };
    deps.requestLog.noteGeneration(request, record);

    // The caller hanging up must reach Ollama (it stops generating when its connection closes)
    // and must give the slot back, whether it happens in the queue or mid-stream.
    const callerGone = new AbortController();
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) callerGone.abort(new Error("the caller closed the connection"));
    });

    const queuedAt = deps.now();
    const release = await deps.admission.acquire(model, callerGone.signal);
    record.queueMs = deps.now() - queuedAt;
    deps.metrics.queueWait.observe({ model }, record.queueMs / 1000);
    if (callerGone.signal.aborted) {
      release();
      return reply;
    }
    reply.raw.once("close", release);

    const upstream = await deps.ollama.open({
      method: "POST",
      path: endpoint,
      body: JSON.stringify(body),
      signal: callerGone.signal,
    });
    const watch = watchGeneration(deps.now);
    record.outcome = watch.outcome;
    reply.hijack();
    relayToCaller(upstream, reply.raw, watch);
    return reply;
  }
}
