// Why a chat platform refused to show a message, as a kind the shared code can act on (wait,
// retry, give up, switch route). The Discord and Slack adapters classify their SDK's errors into
// one of these by status and error code, so nothing here ever reads a message's text.

export type DeliveryErrorKind =
  /** 429: wait `retryAfterMs`, then try again. */
  | "rate-limited"
  /** 5xx, a timeout or a dropped connection: the same request may work a moment later. */
  | "transient"
  /** The message or the channel was deleted: editing it again can never work. */
  | "gone"
  /** The bot lacks a permission (or was removed): retrying only counts toward Discord's invalid-request ban. */
  | "forbidden"
  /** 400: the request itself is wrong (our bug, e.g. a field over a limit); the same request fails again. */
  | "invalid"
  /** An interaction token past its life (Discord 15 min, Slack response_url 30 min): switch to another route. */
  | "expired";

const RETRYABLE: ReadonlySet<DeliveryErrorKind> = new Set(["rate-limited", "transient"]);

export interface DeliveryErrorOptions {
  /** How long the platform asked us to wait (429 Retry-After, in ms). */
  retryAfterMs?: number;
  /** The SDK's own error, kept for the logs. */
  cause?: unknown;
  message?: string;
}

export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  readonly kind: DeliveryErrorKind;
  readonly retryAfterMs: number | undefined;
  /** Whether the same request may succeed later: only rate-limited and transient. */
  readonly retryable: boolean;

  constructor(kind: DeliveryErrorKind, options: DeliveryErrorOptions = {}) {
    const wait = options.retryAfterMs !== undefined ? ` (retry after ${Math.ceil(options.retryAfterMs)} ms)` : "";
    super(options.message ?? `message delivery failed: ${kind}${wait}`, { cause: options.cause });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = RETRYABLE.has(kind);
  }
}

export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}

/**
 * Anything a `deliver` function throws, as a DeliveryError. An error the adapter did not
 * classify is a bug in our code (a TypeError, a limiter that was stopped), not something the
 * platform will accept a moment later, so it becomes "invalid" and is never retried.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError("invalid", { cause: error, message: "message delivery failed with an unclassified error (see cause)" });
}

/**
 * Runs `deliver`, trying again on a retryable failure (after the platform's Retry-After, or
 * `backoffMs` times the attempt): for a message that everything after it hangs on, such as the
 * first card a thread is opened under.
 */
export async function deliverWithRetries<T>(deliver: () => Promise<T>, attempts = 3, backoffMs = 500): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await deliver();
    } catch (error) {
      const failure = toDeliveryError(error);
      if (!failure.retryable || attempt >= attempts) throw failure;
      await new Promise((resolve) => setTimeout(resolve, failure.retryAfterMs ?? backoffMs * attempt));
    }
  }
}
