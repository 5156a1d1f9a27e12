import type { FastifyInstance } from "fastify";
import type { ModelsHealth, OllamaHealth, ServiceHealth } from "../../wire/worker-health.js";
import type { Admission } from "../admission.js";
import { type Allowlist, canonicalModelName } from "../allowlist.js";
import type { createHostMetrics } from "../../host/host-metrics.js";
import type { Metrics } from "../metrics.js";
import type { OllamaUpstream } from "../ollama-upstream.js";
import { COUNCIL_VERSION } from "../../config/version.js";

interface HealthDeps {
  ollama: OllamaUpstream;
  admission: Admission;
  allowlist: Allowlist;
  hostMetrics: ReturnType<typeof createHostMetrics>;
  metrics: Metrics;
  now: () => number;
}

interface TagList {
  models?: Array<{ name: string; size?: number; details?: { parameter_size?: string; quantization_level?: string } }>;
}
interface RunningList {
  models?: Array<{ name: string; size_vram?: number; expires_at?: string; context_length?: number }>;
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const startedAt = deps.now();

  app.get("/health", async (): Promise<ServiceHealth> => ({
    status: "ok",
    version: COUNCIL_VERSION,
    uptimeSeconds: Math.round((deps.now() - startedAt) / 1000),
  }));

  app.get("/health/ollama", async (_request, reply) => {
    const sentAt = deps.now();
    try {
      const answer = await deps.ollama.json<{ version?: string }>("GET", "/api/version");
      const health: OllamaHealth = {
        url: deps.ollama.url,
        reachable: answer.status === 200,
        version: answer.body.version,
        roundTripMs: Math.round((deps.now() - sentAt) * 10) / 10,
      };
      return reply.code(health.reachable ? 200 : 502).send(health);
    } catch (error) {
      const health: OllamaHealth = { url: deps.ollama.url, reachable: false, error: (error as Error).message };
      return reply.code(502).send(health);
    }
  });

  app.get("/health/system", () => deps.hostMetrics.snapshot());

  app.get("/health/models", async (): Promise<ModelsHealth> => {
    const [tags, running] = await Promise.all([
      deps.ollama.json<TagList>("GET", "/api/tags"),
      deps.ollama.json<RunningList>("GET", "/api/ps"),
    ]);
    const installed = (tags.body.models ?? []).filter((model) => deps.allowlist.allows(model.name));
    const lanes = new Map(deps.admission.stats().map((lane) => [lane.model, lane]));
    return {
      installed: installed.map((model) => ({
        name: model.name,
        sizeBytes: model.size ?? 0,
        parameterSize: model.details?.parameter_size,
        quantization: model.details?.quantization_level,
      })),
      loaded: (running.body.models ?? [])
        .filter((model) => deps.allowlist.allows(model.name))
        .map((model) => ({
          name: model.name,
          vramBytes: model.size_vram ?? 0,
          expiresAt: model.expires_at ?? "",
          contextLength: model.context_length,
        })),
      slots: installed.map((model) => {
        const name = canonicalModelName(model.name);
        const lane = lanes.get(name);
        return { model: name, busy: lane?.busy ?? 0, queued: lane?.queued ?? 0, parallel: deps.admission.parallel };
      }),
    };
  });

  app.get("/metrics", async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
