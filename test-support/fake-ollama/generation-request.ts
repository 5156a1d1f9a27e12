// Reads a /api/chat or /api/generate body the way Ollama's handlers do, in the same order,
// with the same statuses and texts for what they reject.
import type { CatalogEntry, ModelCatalog } from "./model-catalog.js";
import { parseKeepAlive } from "./keep-alive.js";
import type { FakeGenerationRequest, FakeMessage } from "./model-script.js";
import { readImages, visionRefusal } from "./vision.js";

export type Endpoint = "chat" | "generate";

export interface GenerationRequest {
  endpoint: Endpoint;
  entry: CatalogEntry;
  /** What the answer function sees. */
  scripted: FakeGenerationRequest;
  stream: boolean;
  /** undefined, "json" or a schema object. */
  format: "json" | Record<string, unknown> | undefined;
  options: Record<string, unknown>;
  numCtx: number;
  /** undefined: unbounded. */
  numPredict: number | undefined;
  stop: string[];
  keepAliveMs: number;
  think: unknown;
  thinks: boolean;
  /** No messages / empty prompt: Ollama only loads (or with keep_alive 0 unloads) the model. */
  loadOnly: boolean;
  /** generate's deprecated `context`: earlier tokens fed in again. */
  contextTokens: number;
  /** generate with raw: true returns no context. */
  raw: boolean;
}

export type ParseResult = { ok: true; request: GenerationRequest } | { ok: false; status: number; error: string };

const STRUCT: Record<Endpoint, string> = { chat: "ChatRequest", generate: "GenerateRequest" };

export function parseGenerationRequest(endpoint: Endpoint, body: unknown, catalog: ModelCatalog): ParseResult {
  const fail = (status: number, error: string): ParseResult => ({ ok: false, status, error });
  if (!isRecord(body)) return fail(400, `json: cannot unmarshal ${goKind(body)} into Go value of type api.${STRUCT[endpoint]}`);

  const typeError = (field: string, goType: string, value: unknown) =>
    fail(400, `json: cannot unmarshal ${goKind(value)} into Go struct field ${STRUCT[endpoint]}.${field} of type ${goType}`);
  if (body.model !== undefined && typeof body.model !== "string") return typeError("model", "string", body.model);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") return typeError("stream", "bool", body.stream);
  if (body.options !== undefined && body.options !== null && !isRecord(body.options)) return typeError("options", "map[string]interface {}", body.options);
  if (endpoint === "chat" && body.messages !== undefined && body.messages !== null && !Array.isArray(body.messages)) {
    return typeError("messages", "[]api.Message", body.messages);
  }
  if (endpoint === "generate" && body.prompt !== undefined && typeof body.prompt !== "string") return typeError("prompt", "string", body.prompt);
  const images = readImages(endpoint, body);
  if (!images.ok) return fail(images.status, images.error);
  const keepAlive = parseKeepAlive(body.keep_alive);
  if (!keepAlive.ok) return fail(400, keepAlive.error);

  const model = (body.model as string | undefined) ?? "";
  if (model === "") return fail(400, "model is required");
  const entry = catalog.get(model);
  if (!entry) return fail(404, `model ${JSON.stringify(model)} not found, try pulling it first`);

  // Since Ollama 0.9 only models with the thinking capability accept think: true.
  const think = body.think;
  const asksToThink = think === true || think === "high" || think === "medium" || think === "low";
  const canThink = entry.script.thinking !== undefined;
  if (asksToThink && !canThink) return fail(400, `${JSON.stringify(model)} does not support thinking`);

  const format = readFormat(body.format);
  if (format === "invalid") {
    // Raised by the runner when the completion starts, so it surfaces as a 500 (llm/server.go).
    return fail(500, `invalid format: ${JSON.stringify(JSON.stringify(body.format))}; expected "json" or a valid JSON Schema object`);
  }

  const options = isRecord(body.options) ? body.options : {};
  const numCtx = positiveInteger(options.num_ctx) ?? entry.meta.contextLength;
  const numPredict = positiveInteger(options.num_predict);
  const stop = Array.isArray(options.stop) ? options.stop.filter((s): s is string => typeof s === "string" && s !== "") : [];

  const messages = endpoint === "chat" ? readMessages(body.messages) : generateMessages(body);
  const prompt = endpoint === "chat" ? lastUserContent(messages) : typeof body.prompt === "string" ? body.prompt : "";
  const loadOnly = endpoint === "chat" ? messages.length === 0 : prompt === "";
  const contextTokens = endpoint === "generate" && Array.isArray(body.context) ? body.context.length : 0;
  const refusal = loadOnly ? undefined : visionRefusal(entry.script, images.images);
  if (refusal) return fail(refusal.status, refusal.error);

  return {
    ok: true,
    request: {
      endpoint,
      entry,
      scripted: { endpoint, model, messages, prompt, format: body.format ?? undefined, options, think, body },
      stream: body.stream !== false,
      format,
      options,
      numCtx,
      numPredict,
      stop,
      keepAliveMs: keepAlive.ms,
      think,
      thinks: canThink && think !== false,
      loadOnly,
      contextTokens,
      raw: body.raw === true,
    },
  };
}

function readFormat(format: unknown): GenerationRequest["format"] | "invalid" {
  if (format === undefined || format === null || format === "") return undefined;
  if (format === "json") return "json";
  if (isRecord(format)) return format;
  return "invalid";
}

function readMessages(raw: unknown): FakeMessage[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((m) => ({
    ...m,
    role: typeof m.role === "string" ? m.role : "",
    content: typeof m.content === "string" ? m.content : "",
  }));
}

/** Ollama renders generate's system and prompt through the chat template as two messages. */
function generateMessages(body: Record<string, unknown>): FakeMessage[] {
  const messages: FakeMessage[] = [];
  if (typeof body.system === "string" && body.system !== "") messages.push({ role: "system", content: body.system });
  // The images go with the prompt, as Ollama's template puts their [img-N] tags before it.
  if (typeof body.prompt === "string" && body.prompt !== "") messages.push({ role: "user", content: body.prompt, ...(Array.isArray(body.images) && { images: body.images }) });
  return messages;
}

function lastUserContent(messages: readonly FakeMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === "user") return messages[i]?.content ?? "";
  return "";
}

/** Ollama's options: a positive number counts; 0, -1 (num_predict "unbounded") and junk mean "not set". */
function positiveInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function goKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
