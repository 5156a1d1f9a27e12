// Why a model call failed, as a kind the council can act on (retry, skip a worker, tell the
// user what to run) rather than a message to match. Each message says what to do about it.

export type LlmErrorKind = "unreachable" | "model-missing" | "busy" | "timeout" | "refused" | "bad-response";

export abstract class LlmError extends Error {
  abstract readonly kind: LlmErrorKind;
  readonly retryable: boolean = false;
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
    message = `worker not reachable at ${url}${detail ? ` (${detail})` : ""}; is it running, and is WORKER_URLS right?`,
  ) {
    super(message);
  }
}

export class ModelMissingError extends LlmError {
  override readonly name = "ModelMissingError";
  readonly kind = "model-missing";
  constructor(
    readonly model: string,
    message = `model ${model} is on no worker; run \`ollama pull ${model}\` on PC2`,
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
