// The endpoints the fake serves, with Gin's routing behaviour around them: 404 "404 page not
// found" for an unknown path and 405 "405 method not allowed" for a known one with the wrong
// method, both as plain text like real Ollama. Pull, push, create, copy, delete and embed are
// not served: the fake's models are "pulled" by the test script.
import { handleGeneration, type GenerationDeps } from "./generation.js";
import { showBody, psEntry, tagsEntry } from "./listings.js";
import type { RecordedRequest } from "./model-script.js";
import type { Reply } from "./reply.js";

export interface RouteDeps extends GenerationDeps {
  version: string;
}

export interface RouteContext {
  body: unknown;
  record: RecordedRequest;
  reply: Reply;
  deps: RouteDeps;
}

type Handler = (context: RouteContext) => void | Promise<void>;

const running: Handler = ({ reply }) => reply.text(200, "Ollama is running");
const version: Handler = ({ reply, deps }) => reply.json(200, { version: deps.version });

const tags: Handler = ({ reply, deps }) => {
  // Most recently modified first, as Ollama sorts them.
  const entries = deps.catalog.list().sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime());
  reply.json(200, { models: entries.map(tagsEntry) });
};

const ps: Handler = ({ reply, deps }) => {
  const models = deps.scheduler.loaded().flatMap((loaded) => {
    const entry = deps.catalog.get(loaded.model);
    return entry ? [psEntry(entry, loaded.expiresAt, loaded.contextLength)] : [];
  });
  reply.json(200, { models });
};

const show: Handler = ({ body, reply, deps, record }) => {
  const request = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  // `name` is the deprecated spelling Ollama still accepts.
  const model = typeof request.model === "string" && request.model !== "" ? request.model : request.name;
  if (typeof model !== "string" || model === "") return reply.error(400, "model is required");
  deps.log.update(record, { model });
  const entry = deps.catalog.get(model);
  // ShowHandler's not-found text differs from chat's: single quotes, no advice to pull.
  if (!entry) return reply.error(404, `model '${model}' not found`);
  reply.json(200, showBody(entry));
};

const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  "/": { GET: running, HEAD: running },
  "/api/version": { GET: version, HEAD: version },
  "/api/tags": { GET: tags, HEAD: tags },
  "/api/ps": { GET: ps },
  "/api/show": { POST: show },
  "/api/chat": { POST: (c) => handleGeneration("chat", c.body, c.record, c.reply, c.deps) },
  "/api/generate": { POST: (c) => handleGeneration("generate", c.body, c.record, c.reply, c.deps) },
};

/** The handler for this request, or Gin's plain-text 404 / 405 already sent. */
export function route(method: string, path: string, reply: Reply): Handler | undefined {
  const methods = ROUTES[path];
  if (!methods) {
    reply.text(404, "404 page not found");
    return undefined;
  }
  const handler = methods[method];
  if (!handler) reply.text(405, "405 method not allowed", { Allow: Object.keys(methods).join(", ") });
  return handler;
}

/** Endpoints whose body Ollama parses as JSON before anything else. */
export function takesJsonBody(path: string): boolean {
  return path === "/api/show" || path === "/api/chat" || path === "/api/generate";
}
