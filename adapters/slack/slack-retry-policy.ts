import { webApi } from "@slack/bolt";
import type { DeliveryError } from "../shared/delivery-error.js";

// When a failed Web API call may be sent again. web-api hands `retryConfig` to p-retry 4 as its
// options and retries every failure that is not an AbortError: a 5xx (WebAPIHTTPError), a timeout
// or any network error (WebAPIRequestError). For a call that creates something, a retry after
// Slack applied the call and lost its answer makes a second copy (chat.postMessage takes no
// idempotency key), so such calls are sent again only when the request certainly never reached
// Slack: the connection was never made, so no byte of the request left this machine.

/**
 * Network errors raised before a connection exists (node's and undici's codes). A reset, a
 * socket closed mid-answer ("other side closed") or a timeout can come after Slack read the
 * request, so they are not here.
 */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** Bounds the walk down an error's causes: they come from libraries, not from us. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Whether a failed call certainly did not reach Slack: a WebAPIRequestError whose cause (fetch's
 * TypeError "fetch failed", whose `cause` carries the code; an AggregateError when every address
 * of a host refused) is a connection that was never made. A DeliveryError is read through its cause.
 */
export function neverReachedSlack(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_CONNECTED.has(code)) return true;
    if (current instanceof AggregateError && current.errors.length > 0) return current.errors.every((inner) => neverReachedSlack(inner));
    // web-api keeps fetch's error as `original` (and as `cause`); a DeliveryError keeps the SDK's as `cause`.
    current = (current as { original?: unknown }).original ?? current.cause;
  }
  return false;
}

/** p-retry 4's options: it stops retrying, and rejects with what was thrown, when onFailedAttempt throws. */
export type SlackRetryConfig = webApi.RetryOptions & { onFailedAttempt?: (error: Error) => void | Promise<void> };

/** `policy`'s timing, but a failed attempt is retried only when it never reached Slack. */
export function retryOnlyUnreached(policy: webApi.RetryOptions): SlackRetryConfig {
  return {
    ...policy,
    onFailedAttempt(error) {
      if (!neverReachedSlack(error)) throw error;
    },
  };
}

/**
 * Whether a failed call may still have been applied: Slack's own trouble (a 5xx, or ok:false with
 * internal_error and its kin, which Slack says may come after part of the work) or a request
 * lost on the way back (a timeout, a reset), as opposed to a refusal or a call that never left.
 */
export function mayHaveBeenApplied(error: DeliveryError): boolean {
  return error.kind === "transient" && !neverReachedSlack(error);
}
