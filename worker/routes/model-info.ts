import type { FastifyInstance } from "fastify";
import type { Allowlist } from "../allowlist.js";
import type { OllamaUpstream } from "../ollama-upstream.js";
import { parseBody, showBody } from "../request-bodies.js";

interface ModelList {
  models?: Array<{ name?: string; model?: string }>;
}

/** GET /api/tags, GET /api/ps, POST /api/show, GET /api/version: answered by Ollama, filtered by the allowlist. */
export function registerModelInfoRoutes(app: FastifyInstance, deps: { ollama: OllamaUpstream; allowlist: Allowlist }) {
  const onlyAllowed = (list: ModelList): ModelList => ({
    ...list,
    models: list.models?.filter((entry) => deps.allowlist.allows(entry.model ?? entry.name ?? "")),
  });

  for (const path of ["/api/tags", "/api/ps"]) {
    app.get(path, async (_request, reply) => {
      const answer = await deps.ollama.json<ModelList>("GET", path);
      return reply.code(answer.status).send(answer.status === 200 ? onlyAllowed(answer.body) : answer.body);
    });
  }

  app.post("/api/show", async (request, reply) => {
    const body = parseBody(showBody, request.body);
    deps.allowlist.check(body.model);
    const answer = await deps.ollama.json("POST", "/api/show", body);
    return reply.code(answer.status).send(answer.body);
  });

  app.get("/api/version", async (_request, reply) => {
    const answer = await deps.ollama.json("GET", "/api/version");
    return reply.code(answer.status).send(answer.body);
  });
}
