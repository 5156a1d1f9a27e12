import {
  type LlmError,
  LlmBadResponseError,
  LlmBusyError,
  LlmRefusedError,
  LlmTimeoutError,
  LlmUnreachableError,
  ModelCannotSeeError,
  ModelMissingError,
  unreachableMessage,
} from "./errors.js";

// Turns what fetch and the server said into the typed errors the council acts on. Ollama and
// the worker both answer errors as {"error": "..."}; the message is kept so the user sees it.

const DEFAULT_RETRY_AFTER_MS = 1_000;
// What Ollama's runner says (as a 500) when a model whose file has no image encoder gets an
// image: model.ErrNoVisionModel in Ollama's model/model.go.
const NO_IMAGE_ENCODER = "missing data required for image input";
// Node's fetch (undici) gives up when no response headers came within 300 s, and Ollama sends
// them only with the first token: a model queued or loading that long has timed out, it is
// not unreachable (which would send the router to another worker and mark this one down).
const UNDICI_HEADERS_TIMEOUT_MS = 300_000;

/** fetch rejected before any response: connection refused, DNS, reset, bad port. `settings` name the URL, for the fix. */
export function fetchFailure(url: string, error: unknown, model?: string, settings: readonly string[] = []): LlmError {
  const code = causeCode(error);
  if (code === "UND_ERR_HEADERS_TIMEOUT") return new LlmTimeoutError(model ?? url, UNDICI_HEADERS_TIMEOUT_MS);
  const detail = code ?? errorMessage(error);
  return new LlmUnreachableError(url, detail, unreachableMessage([url], detail, settings));
}

/** The body broke off after the headers: the server crashed or the connection was cut. */
export function bodyFailure(url: string, error: unknown): LlmError {
  return new LlmBadResponseError(url, `the connection broke off mid-answer (${causeCode(error) ?? errorMessage(error)}); did the worker or its Ollama stop?`);
}

export interface FailedResponse {
  url: string;
  /** Set for generation calls, where a 404 means the model is not pulled there. */
  model?: string;
  status: number;
  retryAfter: string | null;
  body: string;
}

/** A response whose status is not 2xx, as the error it stands for. */
export function statusFailure({ url, model, status, retryAfter, body }: FailedResponse): LlmError {
  const message = serverMessage(body) || `HTTP ${status}`;
  if (status === 404 && model !== undefined) {
    return new ModelMissingError(model, `model "${model}" not found on ${url}; run \`ollama pull ${model}\` there`);
  }
  if (model !== undefined && message.includes(NO_IMAGE_ENCODER)) return new ModelCannotSeeError(model, `${url} answered: ${message}`);
  if (status === 503) return new LlmBusyError(url, retryAfterMs(retryAfter), message);
  if (status === 401 || status === 403) return new LlmRefusedError(url, status, message);
  // The worker answers 502 when its Ollama is down: the worker is up, but nothing can run there.
  if (status === 502) return new LlmUnreachableError(url, message, `${url} answered 502: ${message}`);
  return new LlmBadResponseError(url, `HTTP ${status}: ${message}`);
}

/** The `error` of an Ollama error body, or the start of whatever else it sent. */
export function serverMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isErrorBody(parsed)) return parsed.error;
  } catch {
    // Not JSON (a proxy's HTML page, Go's plain-text "404 page not found"): quote it as is.
  }
  return body.trim().slice(0, 200);
}

export function isErrorBody(value: unknown): value is { error: string } {
  return typeof value === "object" && value !== null && typeof (value as { error?: unknown }).error === "string";
}

/** Retry-After is seconds or an HTTP date; absent or unreadable means 1 s. */
function retryAfterMs(header: string | null): number {
  if (header === null || header.trim() === "") return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - Date.now());
}

/** The system error code behind a failed fetch (ECONNREFUSED, ENOTFOUND, UND_ERR_…), if it has one. */
export function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

function errorMessage(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
