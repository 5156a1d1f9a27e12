// Why a model call failed, as a kind the council can act on (retry, skip a worker, tell the
// user what to run) rather than a message to match. Each message says what to do about it.

export type LlmErrorKind = "unreachable" | "model-missing" | "busy" | "timeout" | "refused" | "bad-response";

export abstract class LlmError extends Error {
  abstract readonly kind: LlmErrorKind;
  readonly retryable: boolean = false;
}

// Ollama's own port: a URL on it is a plain Ollama, never a council worker (8001 by default).
const OLLAMA_PORT = "11434";
export const OLLAMA_DOWNLOAD_URL = "https://ollama.com/download";

/**
 * Nothing answers at the URLs: what should run there, how to start it, and which settings name
 * them (none when the caller does not know). A URL that only CHAIRMAN_URL names, or on Ollama's
 * port, is a plain Ollama; one of WORKER_URLS may also be a council worker. A newcomer with
 * no Ollama running meets this first, so it says how to get one.
 */
export function unreachableMessage(urls: readonly string[], detail?: string, settings: readonly string[] = []): string {
  const where = urls.join(", ");
  const because = detail ? ` (${detail})` : "";
  const ollamaOnly = (settings.length > 0 && !settings.includes("WORKER_URLS")) || urls.every(onOllamaPort);
  const start = ollamaOnly
    ? `no Ollama answers at ${where}${because}: start it with \`ollama serve\` (to install it: ${OLLAMA_DOWNLOAD_URL})`
    : `nothing answers at ${where}${because}: start the council worker there (\`npm run worker\`), or Ollama (\`ollama serve\`; to install it: ${OLLAMA_DOWNLOAD_URL})`;
  return settings.length > 0 ? `${start}, or correct ${settings.join(" and ")} if it runs elsewhere` : start;
}

function onOllamaPort(url: string): boolean {
  try {
    return new URL(url).port === OLLAMA_PORT;
  } catch {
    return false;
  }
}

/**
 * The model is not installed on any of the URLs `setting` lists: where to pull it. The machine is
 * named by its URL and setting (the chairman's is CHAIRMAN_URL's, the members' a worker of WORKER_URLS).
 */
export function modelMissingMessage(model: string, urls: readonly string[], setting: string): string {
  const pull = `\`ollama pull ${model}\``;
  if (urls.length === 1) return `model ${model} is not installed at ${urls[0]} (${setting}); run ${pull} on that machine`;
  return `model ${model} is on none of ${setting} (${urls.join(", ")}); run ${pull} on the machine of one of them`;
}

/**
 * Nothing answered at the URL (connection refused, DNS, connect timeout), or it dropped the
 * connection; also a worker that is up but cannot reach its own Ollama (502), since either way
 * nothing can run there. `message` replaces the default text when it would mislead.
 */
export class LlmUnreachableError extends LlmError {
  override readonly name = "LlmUnreachableError";
  readonly kind = "unreachable";
  override readonly retryable = true;
  constructor(
    readonly url: string,
    detail?: string,
    message = unreachableMessage([url], detail),
  ) {
    super(message);
  }
}

export class ModelMissingError extends LlmError {
  override readonly name = "ModelMissingError";
  readonly kind = "model-missing";
  constructor(
    readonly model: string,
    message = `model ${model} is not installed; run \`ollama pull ${model}\` on the machine that should serve it`,
  ) {
    super(message);
  }
}

/** The worker's queue (or Ollama's) is full: 503 with Retry-After. */
export class LlmBusyError extends LlmError {
  override readonly name = "LlmBusyError";
  readonly kind = "busy";
  override readonly retryable = true;
  constructor(
    readonly url: string,
    readonly retryAfterMs: number,
    detail: string,
  ) {
    // The worker's and Ollama's own texts already say to try again: no second hint.
    super(`${url} is busy (${detail})`);
  }
}

export class LlmTimeoutError extends LlmError {
  override readonly name = "LlmTimeoutError";
  readonly kind = "timeout";
  constructor(
    readonly model: string,
    readonly timeoutMs: number,
  ) {
    super(`${model} did not finish within ${Math.round(timeoutMs / 1000)} s`);
  }
}

/** 401 or 403: a wrong WORKER_TOKEN, or a model outside the worker's WORKER_MODELS. */
export class LlmRefusedError extends LlmError {
  override readonly name = "LlmRefusedError";
  readonly kind = "refused";
  constructor(
    readonly url: string,
    readonly status: number,
    detail: string,
  ) {
    super(
      status === 401
        ? `${url} refused the token (${detail}); set the same WORKER_TOKEN on the bot and on the worker`
        : `${url} refused the request (${detail}); add the model to WORKER_MODELS on that worker, or use one it allows in the preset`,
    );
  }
}

/**
 * Images for a model that cannot see: refused before sending when /api/show does not list
 * "vision" among its capabilities (most such models would drop the images without a word and
 * answer about nothing), or refused by Ollama's runner. Its kind is "refused": what was asked
 * is turned down, whichever server is asked, so no retry elsewhere helps.
 */
export class ModelCannotSeeError extends LlmError {
  override readonly name = "ModelCannotSeeError";
  readonly kind = "refused";
  /** `why` says how it is known, e.g. its capabilities or the server's words. */
  constructor(
    readonly model: string,
    why: string,
  ) {
    super(`model ${model} cannot see images (${why}); send images only to a model that can, such as llava, gemma3 or qwen2.5vl, or describe the image in words`);
  }
}

/** Why a model is taken not to see, from what /api/show listed. */
export function capabilitiesWithoutVision(capabilities: readonly string[]): string {
  return capabilities.length === 0
    ? "its Ollama lists no capabilities; Ollama 0.6.4 and later say which models can see"
    : `its capabilities are ${capabilities.join(", ")}, without vision`;
}

/** An error status, an {"error"} line mid-stream, a stream cut before "done", or bytes that are not Ollama's. */
export class LlmBadResponseError extends LlmError {
  override readonly name = "LlmBadResponseError";
  readonly kind = "bad-response";
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`${url}: ${detail}`);
  }
}
