import {
  type APIEmbed,
  type APIInteractionResponse,
  type APIMessage,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  type RawFile,
  type REST,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import { randomBytes } from "node:crypto";
import { DeliveryError } from "../shared/delivery-error.js";

// The Discord calls the adapter makes, over discord.js's REST client, with every error turned
// into a DeliveryError by status and JSON error code. The same calls serve the gateway and the
// HTTP interactions receivers: only the first acknowledgement differs between them.

/** Nothing a model writes may ping anyone: sent on every message that carries model text. */
export const NO_MENTIONS = { parse: [] as never[] };

// Discord's JSON error codes (discord-api-docs, "JSON Error Codes").
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MESSAGE = 10008;
const UNKNOWN_WEBHOOK = 10015;
const UNKNOWN_INTERACTION = 10062;
const INTERACTION_ALREADY_ACKNOWLEDGED = 40060;
const INVALID_WEBHOOK_TOKEN = 50027;
const THREAD_ALREADY_CREATED = 160004;

export interface MessageRef {
  channelId: string;
  messageId: string;
}

/** A file attached to a message: Markdown text (a long answer), or bytes (a chart). */
export type MessageFile = { name: string; text: string } | { name: string; data: Buffer; contentType: string; description?: string };

export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  files?: MessageFile[];
  ephemeral?: boolean;
}

/** Discord's limit on an attachment's description (its alt text). */
const MAX_DESCRIPTION = 1024;

/**
 * A fresh nonce for one Create Message: 24 hex characters (Discord takes up to 25), random
 * rather than a snowflake so two processes of the same bot can never pick the same one.
 */
const newNonce = (): string => randomBytes(12).toString("hex");

/**
 * For a call whose resend (discord.js's, after a lost answer) is refused with `code` only when
 * the first request was applied: that refusal is read as the first request's `result`; any
 * other error goes on.
 */
const appliedBefore =
  <T>(code: number, result: T) =>
  (error: unknown): T => {
    if (error instanceof DiscordAPIError && Number(error.code) === code) return result;
    throw error;
  };

export function createDiscordApi(rest: REST, applicationId: string) {
  async function call<T>(request: () => Promise<unknown>): Promise<T> {
    try {
      return (await request()) as T;
    } catch (error) {
      throw classify(error);
    }
  }

  const body = (payload: MessagePayload) => ({
    ...(payload.content !== undefined && { content: payload.content }),
    ...(payload.embeds !== undefined && { embeds: payload.embeds }),
    ...(payload.ephemeral && { flags: 64 }),
    allowed_mentions: NO_MENTIONS,
    ...(payload.files && {
      attachments: payload.files.map((file, id) => ({
        id,
        filename: file.name,
        ...("description" in file && file.description !== undefined && { description: file.description.slice(0, MAX_DESCRIPTION) }),
      })),
    }),
  });
  const files = (payload: MessagePayload): RawFile[] | undefined =>
    payload.files?.map((file) =>
      "text" in file ? { name: file.name, data: Buffer.from(file.text, "utf8"), contentType: "text/markdown" } : { name: file.name, data: file.data, contentType: file.contentType },
    );

  return {
    /**
     * The gateway's acknowledgement; the HTTP receiver answers its request instead. When Discord
     * applied the callback but its answer was lost (a 502 from its edge, a timeout, a reset),
     * discord.js sends it again and the resend meets 400 "Interaction has already been
     * acknowledged" (40060), thrown as a DiscordAPIError. That callback was ours: the gateway
     * receiver claims each interaction id once and the handler acknowledges once, so nothing
     * else acknowledges it. It is read as done here, and only here: a 40060 on any other call
     * stays an error.
     */
    respond: (interactionId: string, token: string, response: APIInteractionResponse) =>
      call<void>(() =>
        rest.post(Routes.interactionCallback(interactionId, token), { body: response, auth: false }).catch(appliedBefore(INTERACTION_ALREADY_ACKNOWLEDGED, undefined)),
      ),
    editOriginal: (token: string, payload: MessagePayload) =>
      call<APIMessage>(() => rest.patch(Routes.webhookMessage(applicationId, token), { body: body(payload), files: files(payload), auth: false })),
    /** Takes back the deferred reply, so that a refusal can be said privately instead. */
    deleteOriginal: (token: string) => call<void>(() => rest.delete(Routes.webhookMessage(applicationId, token), { auth: false })),
    /**
     * Execute Webhook takes no nonce (Discord documents enforce_nonce on Create Message only),
     * so a follow-up whose answer is lost after Discord made it can show twice when discord.js
     * resends it; only private councils' details and refusals go this way.
     */
    followUp: (token: string, payload: MessagePayload) =>
      call<APIMessage>(() => rest.post(Routes.webhook(applicationId, token), { body: body(payload), files: files(payload), auth: false })),
    /** Past the interaction token's 15 minutes, the card is edited with the bot token instead. */
    editMessage: (ref: MessageRef, payload: MessagePayload) =>
      call<APIMessage>(() => rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: body(payload), files: files(payload) })),
    /**
     * One call is one message, however often the request is sent: discord.js resends the same
     * body after a timeout, a dropped connection or a 5xx (3 times), and when Discord had
     * created the message before the answer was lost (a 502 from its edge, an upload slower
     * than the timeout), the resend would post a second copy. With a nonce and enforce_nonce,
     * Discord answers a resend within a few minutes with the message it already made. A caller
     * that retried a failed post itself would need the first attempt's nonce; none does.
     */
    postMessage: (channelId: string, payload: MessagePayload & { replyTo?: string }) =>
      call<APIMessage>(() =>
        rest.post(Routes.channelMessages(channelId), {
          body: {
            ...body(payload),
            ...(payload.replyTo && { message_reference: { message_id: payload.replyTo, fail_if_not_exists: false } }),
            nonce: newNonce(),
            enforce_nonce: true,
          } satisfies RESTPostAPIChannelMessageJSONBody,
          files: files(payload),
        }),
      ),
    /**
     * The thread on a message has the message's id, so "a thread has already been created for
     * this message" names it: that is what discord.js's resend meets when Discord made the thread
     * but its answer was lost, and the council goes on in that thread.
     */
    startThread: (ref: MessageRef, name: string) =>
      call<{ id: string }>(() =>
        rest.post(Routes.threads(ref.channelId, ref.messageId), { body: { name, auto_archive_duration: 1440 } }).catch(appliedBefore(THREAD_ALREADY_CREATED, { id: ref.messageId })),
      ),
  };
}

export type DiscordApi = ReturnType<typeof createDiscordApi>;

function classify(error: unknown): DeliveryError {
  if (error instanceof RateLimitError) return new DeliveryError("rate-limited", { retryAfterMs: error.retryAfter, cause: error });
  if (error instanceof DiscordAPIError) {
    const code = Number(error.code);
    if (code === INVALID_WEBHOOK_TOKEN || code === UNKNOWN_INTERACTION) return new DeliveryError("expired", { cause: error });
    if (code === UNKNOWN_MESSAGE || code === UNKNOWN_CHANNEL || code === UNKNOWN_WEBHOOK) return new DeliveryError("gone", { cause: error });
    if (error.status === 429) return new DeliveryError("rate-limited", { retryAfterMs: 1000, cause: error });
    if (error.status === 401 || error.status === 403) return new DeliveryError("forbidden", { cause: error });
    if (error.status >= 500) return new DeliveryError("transient", { cause: error });
    return new DeliveryError("invalid", { cause: error });
  }
  if (error instanceof HTTPError) return new DeliveryError(error.status >= 500 ? "transient" : "invalid", { cause: error });
  // Timeouts and dropped connections surface as plain errors from fetch.
  return new DeliveryError("transient", { cause: error });
}
