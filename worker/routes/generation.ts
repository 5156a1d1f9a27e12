import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { Admission } from "../admission.js";
import { type Allowlist, canonicalModelName } from "../allowlist.js";
import { watchGeneration } from "../generation-watch.js";
import { rawBodyOf } from "../json-body.js";
import type { Metrics } from "../metrics.js";
import type { OllamaUpstream } from "../ollama-upstream.js";
import { chatBody, generateBody, parseBody } from "../request-bodies.js";
import type { createRequestLog } from "../request-log.js";

interface GenerationDeps {
  ollama: OllamaUpstream;
  admission: Admission;
  allowlist: Allowlist;
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
    const model = canonicalModelName(body.model);
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
      body: rawBodyOf(request) ?? JSON.stringify(body),
      signal: callerGone.signal,
    });
    const watch = watchGeneration(deps.now);
    record.outcome = watch.outcome;
    // Written straight to the caller's connection: each chunk from Ollama is one write, with
    // no stream pipe in between, so a token reaches the caller in the same turn it arrived.
    reply.hijack();
    const { head } = upstream;
    const caller = reply.raw;
    caller.writeHead(head.status, {
      "content-type": head.contentType ?? "application/json; charset=utf-8",
      ...(head.contentLength !== undefined && { "content-length": head.contentLength }),
    });
    // One chunk from Ollama may hold many payloads, so a full caller is waited for only once.
    let awaitingDrain = false;
    const resume = () => {
      awaitingDrain = false;
      upstream.resume();
    };
    upstream.pipeTo({
      data(payload) {
        watch.chunk(payload);
        if (!caller.write(payload) && !awaitingDrain) {
          awaitingDrain = true;
          upstream.pause();
          caller.once("drain", resume);
        }
      },
      end() {
        watch.end();
        caller.end();
      },
      // A cut is passed on: the caller's connection ends before the response did, rather than
      // a response that looks complete or never ends.
      fail() {
        watch.end();
        caller.destroy();
      },
    });
    return reply;
  }
}
