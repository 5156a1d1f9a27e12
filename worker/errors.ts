// Errors the worker answers with on purpose. Each carries the status it maps to and a message
// meant for the caller; anything else that reaches the error handler is a bug and its details
// stay in the log.

export abstract class WorkerHttpError extends Error {
  abstract readonly status: number;
  abstract readonly kind: string;
  readonly retryable: boolean = false;
  /** Answered without keeping the connection: the caller has not shown it may use the worker. */
  protected readonly closesConnection: boolean = false;
  headers(): Record<string, string> {
    return this.closesConnection ? { connection: "close" } : {};
  }
}

export class BadRequestError extends WorkerHttpError {
  override readonly name = "BadRequestError";
  readonly status = 400;
  readonly kind = "bad-request";
}

export class UnauthorizedError extends WorkerHttpError {
  override readonly name = "UnauthorizedError";
  readonly status = 401;
  readonly kind = "unauthorized";
  constructor(reason: "missing" | "wrong") {
    super(
      reason === "missing"
        ? "unauthorized: send the header Authorization: Bearer <WORKER_TOKEN>"
        : "unauthorized: the bearer token does not match this worker's WORKER_TOKEN",
    );
  }
  // Answered before the body is read, and the connection closed rather than kept for a caller
  // that has not shown a token, so a stranger cannot hold it by trickling a body in.
  protected override readonly closesConnection = true;
}

export class ModelNotAllowedError extends WorkerHttpError {
  override readonly name = "ModelNotAllowedError";
  readonly status = 403;
  readonly kind = "model-not-allowed";
  constructor(model: string, allowed: readonly string[]) {
    super(`model ${shown(model)} is not allowed on this worker; allowed models: ${allowed.join(", ")} (WORKER_MODELS)`);
  }
  protected override readonly closesConnection = true;
}

/** Ollama's own answer for a model it does not have, word for word, so any Ollama client reads it as such. */
export class ModelNotFoundError extends WorkerHttpError {
  override readonly name = "ModelNotFoundError";
  readonly status = 404;
  readonly kind = "model-not-found";
  constructor(model: string) {
    super(`model ${shown(model)} not found, try pulling it first`);
  }
}

export class QueueFullError extends WorkerHttpError {
  override readonly name = "QueueFullError";
  readonly status = 503;
  readonly kind = "queue-full";
  override readonly retryable = true;
  constructor(
    model: string,
    waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`worker busy: ${waiting} requests already wait for model "${model}"; retry in ${retryAfterSeconds} s`);
  }
  override headers() {
    return { "retry-after": String(this.retryAfterSeconds) };
  }
}

export class OllamaUnreachableError extends WorkerHttpError {
  override readonly name = "OllamaUnreachableError";
  readonly status = 502;
  readonly kind = "ollama-unreachable";
  override readonly retryable = true;
  constructor(url: string, cause: unknown) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    super(
      code === "ECONNRESET"
        ? `Ollama at ${url} dropped the connection before answering (ECONNRESET); did it crash or restart?`
        : `Ollama not reachable at ${url}${typeof code === "string" ? ` (${code})` : ""}; is \`ollama serve\` running there?`,
      { cause },
    );
  }
}

export class OllamaBadResponseError extends WorkerHttpError {
  override readonly name = "OllamaBadResponseError";
  readonly status = 502;
  readonly kind = "ollama-bad-response";
  /** `answer` says what came back, e.g. "HTTP 200 with a body that is not JSON". */
  constructor(url: string, call: string, answer: string) {
    super(`Ollama at ${url} answered ${call} with ${answer}; is that URL really Ollama?`);
  }
}

/** A caller's model name quoted in a message, cut short when a caller sends kilobytes of it. */
function shown(model: string): string {
  return JSON.stringify(model.length > 200 ? `${model.slice(0, 200)}…` : model);
}
