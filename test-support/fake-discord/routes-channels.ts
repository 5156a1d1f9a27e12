// Channel routes with the bot token: channels, messages, threads, typing.
import { apiError, ErrorCode } from "./errors.js";
import { createMessage, earlierWithNonce, editMessage, MessageFlag } from "./messages.js";
import { apiChannel, apiMessage, gatewayMessage, newMessage } from "./payloads.js";
import { has, Permission } from "./permissions.js";
import { noContent, ok, type Handler, type RouteContext } from "./route-context.js";
import { makeThread } from "./threads.js";
import type { FakeChannel, FakeMessage } from "./types.js";
import { validateMessageBody, validateNonce, validateThreadBody, requireNotEmpty } from "./validation.js";
import { TEXT_TYPES, THREAD_TYPES } from "./world.js";

function channelOf(ctx: RouteContext): FakeChannel {
  const channel = ctx.world.channels.get(ctx.params.channelId ?? "");
  if (!channel) throw apiError(404, ErrorCode.UnknownChannel);
  if (!has(ctx.world.botPermissions(channel.id), Permission.ViewChannel)) throw apiError(403, ErrorCode.MissingAccess);
  return channel;
}

/** A message of the channel anyone can see (not ephemeral, not deleted). */
function messageOf(ctx: RouteContext, channel: FakeChannel): FakeMessage {
  const message = ctx.world.messages.get(ctx.params.messageId ?? "");
  if (!message || message.channel_id !== channel.id || message.deleted || (message.flags & MessageFlag.Ephemeral) !== 0) {
    throw apiError(404, ErrorCode.UnknownMessage);
  }
  return message;
}

function requireHistory(ctx: RouteContext, channel: FakeChannel): void {
  if (!has(ctx.world.botPermissions(channel.id), Permission.ReadMessageHistory)) throw apiError(403, ErrorCode.MissingPermissions);
}

export const getChannel: Handler = (ctx) => ok(apiChannel(channelOf(ctx)));

export const listMessages: Handler = (ctx) => {
  const channel = channelOf(ctx);
  requireHistory(ctx, channel);
  const limit = Math.min(100, Math.max(1, Number(ctx.query.get("limit") ?? 50) || 50));
  const before = ctx.query.get("before");
  const after = ctx.query.get("after");
  let list = (ctx.world.order.get(channel.id) ?? [])
    .map((id) => ctx.world.messages.get(id))
    .filter((m): m is FakeMessage => m !== undefined && !m.deleted && (m.flags & MessageFlag.Ephemeral) === 0);
  if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
  if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
  // Newest first, as Discord lists them.
  return ok(list.reverse().slice(0, limit).map(apiMessage));
};

export const postMessage: Handler = (ctx) => {
  const channel = channelOf(ctx);
  if (!TEXT_TYPES.has(channel.type)) throw apiError(400, ErrorCode.CannotSendInNonTextChannel);
  validateNonce(ctx.body);
  // A resend of a message already made answers it again: nothing new, no MESSAGE_CREATE.
  const earlier = earlierWithNonce(ctx);
  if (earlier) return ok(apiMessage(earlier));
  const message = createMessage(ctx, channel.id, {}, { viaInteraction: false }, THREAD_TYPES.has(channel.type));
  ctx.echo("MESSAGE_CREATE", gatewayMessage(ctx.world, message));
  return ok(apiMessage(message));
};

export const getMessage: Handler = (ctx) => {
  const channel = channelOf(ctx);
  requireHistory(ctx, channel);
  return ok(apiMessage(messageOf(ctx, channel)));
};

export const patchMessage: Handler = (ctx) => {
  const channel = channelOf(ctx);
  const message = messageOf(ctx, channel);
  if (message.author.id !== ctx.world.bot.id) throw apiError(403, ErrorCode.CannotEditOtherUsersMessage);
  editMessage(ctx, message, { viaInteraction: false });
  ctx.echo("MESSAGE_UPDATE", gatewayMessage(ctx.world, message));
  return ok(apiMessage(message));
};

export const deleteMessage: Handler = (ctx) => {
  const channel = channelOf(ctx);
  const message = messageOf(ctx, channel);
  if (message.author.id !== ctx.world.bot.id && !has(ctx.world.botPermissions(channel.id), Permission.ManageMessages)) {
    throw apiError(403, ErrorCode.MissingPermissions);
  }
  message.deleted = true;
  ctx.echo("MESSAGE_DELETE", { id: message.id, channel_id: channel.id, guild_id: channel.guild_id });
  return noContent();
};

function threadType(parent: FakeChannel): number {
  return parent.type === 5 ? 10 : 11;
}

export const startThreadFromMessage: Handler = (ctx) => {
  const parent = channelOf(ctx);
  if (parent.type !== 0 && parent.type !== 5) throw apiError(400, ErrorCode.InvalidChannelType);
  const message = messageOf(ctx, parent);
  const perms = ctx.world.botPermissions(parent.id);
  if (!has(perms, Permission.CreatePublicThreads) || !has(perms, Permission.ReadMessageHistory)) throw apiError(403, ErrorCode.MissingPermissions);
  validateThreadBody(ctx.body);
  if (message.thread) throw apiError(400, ErrorCode.ThreadAlreadyCreated);
  const thread = makeThread(ctx.world, parent, {
    id: message.id,
    name: ctx.body.name as string,
    type: threadType(parent),
    autoArchive: typeof ctx.body.auto_archive_duration === "number" ? ctx.body.auto_archive_duration : undefined,
    rateLimitPerUser: typeof ctx.body.rate_limit_per_user === "number" ? ctx.body.rate_limit_per_user : undefined,
  });
  message.thread = thread;
  message.flags |= MessageFlag.HasThread;
  ctx.echo("THREAD_CREATE", { ...apiChannel(thread), newly_created: true });
  return ok(apiChannel(thread), 201);
};

export const startThread: Handler = (ctx) => {
  const parent = channelOf(ctx);
  const forum = parent.type === 15 || parent.type === 16;
  if (parent.type !== 0 && parent.type !== 5 && !forum) throw apiError(400, ErrorCode.InvalidChannelType);
  const requested = typeof ctx.body.type === "number" ? ctx.body.type : 12;
  const type = forum ? 11 : parent.type === 5 ? 10 : requested;
  if (!THREAD_TYPES.has(type)) throw apiError(400, ErrorCode.InvalidChannelType);
  const perms = ctx.world.botPermissions(parent.id);
  const needed = type === 12 ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads;
  if (!has(perms, needed) || (forum && !has(perms, Permission.SendMessages))) throw apiError(403, ErrorCode.MissingPermissions);
  validateThreadBody(ctx.body);
  const starter = forum ? forumStarter(ctx) : undefined;
  const thread = makeThread(ctx.world, parent, {
    id: ctx.world.ids.next(),
    name: ctx.body.name as string,
    type,
    autoArchive: typeof ctx.body.auto_archive_duration === "number" ? ctx.body.auto_archive_duration : undefined,
    rateLimitPerUser: typeof ctx.body.rate_limit_per_user === "number" ? ctx.body.rate_limit_per_user : undefined,
    invitable: typeof ctx.body.invitable === "boolean" ? ctx.body.invitable : undefined,
  });
  if (starter) {
    // A forum post's first message has the thread's id.
    const message = newMessage(ctx.world, { ...starter, id: thread.id, channel_id: thread.id, author: ctx.world.bot });
    ctx.world.addMessage(message);
  }
  ctx.echo("THREAD_CREATE", { ...apiChannel(thread), newly_created: true });
  return ok(apiChannel(thread), 201);
};

function forumStarter(ctx: RouteContext): Partial<FakeMessage> {
  const body = typeof ctx.body.message === "object" && ctx.body.message !== null ? (ctx.body.message as Record<string, unknown>) : {};
  validateMessageBody(body);
  const fields: Partial<FakeMessage> = {
    content: typeof body.content === "string" ? body.content : "",
    embeds: Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [],
    components: Array.isArray(body.components) ? body.components : [],
    allowed_mentions: body.allowed_mentions,
  };
  requireNotEmpty({ content: fields.content ?? "", embeds: fields.embeds ?? [], attachments: ctx.files, components: fields.components ?? [] }, body);
  return fields;
}

export const typing: Handler = (ctx) => {
  const channel = channelOf(ctx);
  const perms = ctx.world.botPermissions(channel.id);
  if (!has(perms, THREAD_TYPES.has(channel.type) ? Permission.SendMessagesInThreads : Permission.SendMessages)) {
    throw apiError(403, ErrorCode.MissingPermissions);
  }
  return noContent();
};
