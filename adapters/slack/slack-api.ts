import { webApi } from "@slack/bolt";
import { DeliveryError } from "../shared/delivery-error.js";
import type { SlackMessage } from "./blocks.js";
import type { SlackClients } from "./slack-clients.js";

// The Slack calls the adapter makes, each through the client its method takes (slack-clients:
// a call that creates something is retried only when it never reached Slack), with every
// failure turned into a DeliveryError by its Slack error code or HTTP status, never by message text.

const GONE = new Set(["message_not_found", "channel_not_found", "thread_not_found", "is_archived", "cant_update_message"]);
const FORBIDDEN = new Set(["not_in_channel", "missing_scope", "not_authed", "invalid_auth", "account_inactive", "restricted_action", "ekm_access_denied"]);
// Slack's own trouble, answered as ok:false with HTTP 200 (its docs: "likely due to a transient
// issue on our end"): worth retrying like a 5xx, or a card's final update is lost to one hiccup.
const TRANSIENT = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

export interface MessageRef {
  channel: string;
  ts: string;
}

/** A file shared in a channel or thread, with the line that introduces it. */
export interface SlackUpload {
  channel: string;
  threadTs?: string;
  data: Buffer;
  fileName: string;
  title: string;
  /** For screen readers. */
  altText: string;
  /** mrkdwn shown with the file. */
  comment: string;
}

export function createSlackApi(clients: SlackClients) {
  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw classify(error);
    }
  }
  // link_names off and parse none: text the bot sends is shown as written, never turned into mentions.
  const safe = { unfurl_links: false, unfurl_media: false, link_names: false, parse: "none" as const };

  return {
    post: (channel: string, message: SlackMessage, threadTs?: string) =>
      call(async () => {
        const result = await clients.for("chat.postMessage").chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...safe, ...(threadTs && { thread_ts: threadTs }) });
        return { channel: result.channel ?? channel, ts: result.ts ?? "" } satisfies MessageRef;
      }),
    update: (ref: MessageRef, message: SlackMessage) =>
      call(async () => {
        await clients.for("chat.update").chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks, link_names: false, parse: "none" });
      }),
    postEphemeral: (channel: string, user: string, text: string, threadTs?: string) =>
      call(async () => {
        await clients.for("chat.postEphemeral").chat.postEphemeral({ channel, user, text, ...(threadTs && { thread_ts: threadTs }) });
      }),
    /**
     * Slack's current upload (files.upload is retired): web-api's filesUploadV2 asks for an
     * upload URL, posts the bytes there, then completes the upload into the channel. Needs the
     * files:write scope. The whole flow runs on the completion's client: its completion shares
     * the file, so it is not sent again once it may have reached Slack (asking for the URL
     * again would only cost a retry).
     */
    upload: (upload: SlackUpload) =>
      call(async () => {
        const file = { file: upload.data, filename: upload.fileName, title: upload.title, alt_text: upload.altText, initial_comment: upload.comment };
        await clients.for("files.completeUploadExternal").filesUploadV2(upload.threadTs ? { ...file, channel_id: upload.channel, thread_ts: upload.threadTs } : { ...file, channel_id: upload.channel });
      }),
    /** The bot's direct-message channel with a user (im:write), opened if need be. */
    openDm: (user: string) =>
      call(async () => {
        const opened = await clients.for("conversations.open").conversations.open({ users: user });
        if (!opened.channel?.id) throw new DeliveryError("invalid", { message: "Slack: conversations.open answered no channel" });
        return opened.channel.id;
      }),
  };
}

export type SlackApi = ReturnType<typeof createSlackApi>;

export function classify(error: unknown): DeliveryError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === webApi.ErrorCode.RateLimitedError) {
    return new DeliveryError("rate-limited", { retryAfterMs: (error as webApi.WebAPIRateLimitedError).retryAfter * 1000, cause: error });
  }
  if (code === webApi.ErrorCode.PlatformError) {
    const slackError = (error as webApi.WebAPIPlatformError).data.error;
    if (slackError === "ratelimited") return new DeliveryError("rate-limited", { retryAfterMs: 1000, cause: error });
    if (GONE.has(slackError)) return new DeliveryError("gone", { cause: error, message: `Slack: ${slackError}` });
    if (FORBIDDEN.has(slackError)) return new DeliveryError("forbidden", { cause: error, message: `Slack: ${slackError}` });
    if (TRANSIENT.has(slackError)) return new DeliveryError("transient", { cause: error, message: `Slack: ${slackError}` });
    return new DeliveryError("invalid", { cause: error, message: `Slack: ${slackError}` });
  }
  if (code === webApi.ErrorCode.HTTPError) {
    const status = (error as webApi.WebAPIHTTPError).statusCode;
    return new DeliveryError(status >= 500 ? "transient" : "invalid", { cause: error });
  }
  return new DeliveryError("transient", { cause: error });
}

/** The Slack error code behind a DeliveryError, to tell the user what to do about it. */
export function slackErrorOf(error: DeliveryError): string | undefined {
  const cause = error.cause as { code?: unknown; data?: { error?: string } } | undefined;
  return cause?.code === webApi.ErrorCode.PlatformError ? cause.data?.error : undefined;
}
