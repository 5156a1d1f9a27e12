import { webApi } from "@slack/bolt";
import { retryOnlyUnreached } from "./slack-retry-policy.js";

// The two Web API clients the adapter calls through, and the one list that says which calls
// take which. web-api applies one retryConfig to every call of a client (p-retry is given no
// method), so calls that may be retried freely and calls that create something need a client
// each. Both have the same token, base URL, logger and 429 handling.

/**
 * Methods that create something on every call, so a retry after Slack applied one would show it
 * twice: a message, an ephemeral message, a file shared in a channel. Everything else the
 * adapter calls is safe to repeat: chat.update writes the same content again, reads read,
 * conversations.open answers the same DM, files.getUploadURLExternal only hands out an upload
 * that nothing shows until it is completed.
 */
export const CREATING_METHODS: ReadonlySet<string> = new Set(["chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal"]);

export interface SlackClients {
  /** The client to call `method` with. */
  for(method: string): webApi.WebClient;
  /** Both clients, to listen to their events (RATE_LIMITED). */
  readonly all: readonly webApi.WebClient[];
}

/**
 * `retrying` is Bolt's app.client, built from `options` (whose retryConfig every repeatable call
 * keeps); the client for creating calls is a second WebClient with the same options, retrying
 * only what never reached Slack.
 */
export function createSlackClients(retrying: webApi.WebClient, token: string, options: webApi.WebClientOptions & { retryConfig: webApi.RetryOptions }): SlackClients {
  const creating = new webApi.WebClient(token, { ...options, retryConfig: retryOnlyUnreached(options.retryConfig) });
  return {
    for: (method) => (CREATING_METHODS.has(method) ? creating : retrying),
    all: [retrying, creating],
  };
}
