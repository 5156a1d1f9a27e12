// chat.postMessage, chat.update, chat.postEphemeral and chat.delete, with Slack's errors:
// channel_not_found / not_in_channel / is_archived, no_text, msg_too_long, invalid_blocks,
// message_not_found (unknown or deleted), cant_update_message / cant_delete_message (not the
// bot's), user_not_found.
import { botMessageHead } from "./world.js";
import { requireArg, SlackError } from "./errors.js";
import { flag } from "./http-body.js";
import type { MethodContext, MethodDef } from "./method-context.js";
import { writableChannel } from "./method-context.js";
import type { FakeSlackMessage } from "./types.js";
import { readBlocks, validateBlocks, validateText, withBlockIds } from "./validation.js";

/** Message options kept on the stored message as last sent (fake-only `options`). */
const OPTION_KEYS = ["unfurl_links", "unfurl_media", "link_names", "parse", "mrkdwn", "reply_broadcast", "as_user", "username", "icon_emoji", "icon_url"];

function optionsOf(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if (args[key] === undefined) continue;
    const asFlag = typeof args[key] === "string" && /^(true|false)$/.test(args[key]) ? flag(args[key]) : args[key];
    options[key] = asFlag;
  }
  return options;
}

interface Content {
  text?: string;
  blocks?: Record<string, unknown>[];
  attachments?: unknown[];
}

/** Reads and checks text, blocks and attachments; no_text when there is nothing to show. */
function content(args: Readonly<Record<string, unknown>>): Content {
  const blocks = readBlocks(args.blocks);
  const text = args.text === undefined || args.text === null ? undefined : String(args.text);
  const attachments = args.attachments === undefined ? undefined : args.attachments;
  if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackError("invalid_attachments");
  if (!text && !blocks?.length && !attachments?.length) throw new SlackError("no_text");
  if (blocks) validateBlocks(blocks);
  validateText(text);
  return { ...(text === undefined ? {} : { text }), ...(blocks ? { blocks } : {}), ...(attachments ? { attachments } : {}) };
}

function ownMessage(ctx: MethodContext, channel: string, denied: string): FakeSlackMessage {
  const ts = requireArg(ctx.args, "ts");
  const message = ctx.world.message(channel, ts);
  if (!message || message.deleted) throw new SlackError("message_not_found");
  if (message.user !== ctx.world.bot.userId) throw new SlackError(denied);
  return message;
}

const postMessage: MethodDef = {
  token: "bot",
  scope: "chat:write",
  handle(ctx) {
    const { world, args } = ctx;
    const channel = writableChannel(world, args.channel);
    const body = content(args);
    const threadTs = args.thread_ts === undefined || args.thread_ts === "" ? undefined : String(args.thread_ts);
    const message = world.add({
      ...botMessageHead(world, ctx.now),
      text: body.text ?? "",
      ...(body.blocks?.length ? { blocks: withBlockIds(body.blocks) } : {}),
      ...(body.attachments ? { attachments: body.attachments } : {}),
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      channel: channel.id,
      options: optionsOf(args),
      update_count: 0,
      deleted: false,
      source: "api",
    });
    return { channel: channel.id, ts: message.ts, message: world.publicMessage(message) };
  },
};

const update: MethodDef = {
  token: "bot",
  scope: "chat:write",
  handle(ctx) {
    const { world, args } = ctx;
    const channel = writableChannel(world, args.channel);
    const message = ownMessage(ctx, channel.id, "cant_update_message");
    const body = content(args);
    // Slack keeps the previous blocks (and attachments) unless the update sends them; [] removes them.
    if (body.blocks !== undefined) {
      if (body.blocks.length > 0) message.blocks = withBlockIds(body.blocks);
      else delete message.blocks;
    }
    if (body.attachments !== undefined) message.attachments = body.attachments;
    if (body.text !== undefined) message.text = body.text;
    message.edited = { user: world.bot.userId, ts: world.ts.next(ctx.now) };
    message.update_count++;
    message.options = { ...message.options, ...optionsOf(args) };
    const { ts: _ts, ...shown } = world.publicMessage(message);
    return { channel: channel.id, ts: message.ts, text: message.text, message: shown };
  },
};

const postEphemeral: MethodDef = {
  token: "bot",
  scope: "chat:write",
  handle(ctx) {
    const { world, args } = ctx;
    const channel = writableChannel(world, args.channel);
    const user = requireArg(args, "user");
    if (!world.user(user)) throw new SlackError("user_not_found");
    const body = content(args);
    const ts = world.ts.next(ctx.now);
    world.ephemerals.push({
      message_ts: ts,
      channel: channel.id,
      user,
      text: body.text ?? "",
      ...(body.blocks?.length ? { blocks: withBlockIds(body.blocks) } : {}),
      ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
      at: ctx.now,
      source: "api",
    });
    return { message_ts: ts };
  },
};

const remove: MethodDef = {
  token: "bot",
  scope: "chat:write",
  handle(ctx) {
    const channel = writableChannel(ctx.world, ctx.args.channel);
    const message = ownMessage(ctx, channel.id, "cant_delete_message");
    message.deleted = true;
    return { channel: channel.id, ts: message.ts };
  },
};

export const CHAT_METHODS: Record<string, MethodDef> = {
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.postEphemeral": postEphemeral,
  "chat.delete": remove,
};
