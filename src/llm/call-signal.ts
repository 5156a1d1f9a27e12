import { LlmTimeoutError } from "./errors.js";

/**
 * One call's own abort signal, so cancelling it never touches another call (ollama-js's
 * `abort()` cancels every stream of a client). It aborts when the caller's signal does, when
 * the timeout fires, or when the call ends early (the consumer broke out of its loop).
 */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** Milliseconds left before the timeout; Infinity without one. */
  remainingMs(): number;
  /**
   * What the call should fail with: once aborted, the abort's reason (the caller's own reason,
   * or an LlmTimeoutError), whatever the transport made of it; otherwise the error itself.
   */
  failure(error: unknown): unknown;
  /** Stops the timer and cancels whatever is still open. Call it in `finally`. */
  end(): void;
}

export function linkCallSignal(model: string, options: { signal?: AbortSignal; timeoutMs?: number }): CallSignal {
  const controller = new AbortController();
  const caller = options.signal;
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener("abort", onCallerAbort, { once: true });

  const { timeoutMs } = options;
  // The timer is real time, so the deadline is too (not an injected clock).
  const deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new LlmTimeoutError(model, timeoutMs)), timeoutMs);

  let ended = false;
  return {
    signal: controller.signal,
    remainingMs: () => deadline - performance.now(),
    failure: (error) => (controller.signal.aborted && !ended ? controller.signal.reason : error),
    end() {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
      controller.abort(new Error("the call has ended"));
    },
  };
}
