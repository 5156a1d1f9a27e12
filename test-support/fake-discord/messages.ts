// Creating and editing messages the bot (or the app's interaction webhook) writes: Discord's
// validation, attachments from uploaded files, mentions under allowed_mentions, replies.
import { isoTime } from "./clock.js";
import { apiError, ErrorCode, FormErrors } from "./errors.js";
import type { UploadedFile } from "./http-body.js";
import { resolveMentions } from "./mentions.js";
import { apiMessage, newMessage } from "./payloads.js";
import { has, Permission } from "./permissions.js";
import type { RouteContext } from "./route-context.js";
import type { FakeAttachment, FakeMessage } from "./types.js";
import { requireNotEmpty, validateMessageBody } from "./validation.js";

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

const SETTABLE_FLAGS = MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

export interface WriteOptions {
  /** Interaction/webhook messages: no channel permissions apply, ephemeral is allowed. */
  viaInteraction: boolean;
}

function embedsOf(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.map((e) => ({ type: "rich", ...(typeof e === "object" && e !== null ? (e as Record<string, unknown>) : {}) }));
}

function checkUploadSize(ctx: RouteContext, files: UploadedFile[]): void {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > ctx.settings.maxUploadBytes) throw apiError(413, ErrorCode.RequestEntityTooLarge);
}

/** The placeholder id a part's attachment entry refers to: the n of its `files[n]` field (its position otherwise). */
function placeholderOf(file: UploadedFile, index: number): string {
  return /^files\[(\d+)\]$/.exec(file.field)?.[1] ?? String(index);
}

function attachmentsFrom(ctx: RouteContext, channelId: string, files: UploadedFile[], meta: unknown): FakeAttachment[] {
  const described = Array.isArray(meta) ? (meta as Record<string, unknown>[]) : [];
  return files.map((file, index) => {
    const info = described.find((a) => String(a.id) === placeholderOf(file, index));
    // The bytes stay with the fake, served by its CDN as Discord's would serve them, and for tests to read back.
    return ctx.settings.cdn.attach(
      { channelId },
      {
        name: typeof info?.filename === "string" ? info.filename : file.name,
        data: file.data,
        ...(file.contentType ? { contentType: file.contentType } : {}),
        ...(typeof info?.description === "string" ? { description: info.description } : {}),
      },
    );
  });
}

/** Permissions the write needs in a channel; embeds without EMBED_LINKS are dropped, as Discord does. */
function channelPermissionCheck(ctx: RouteContext, channelId: string, files: UploadedFile[], body: Record<string, unknown>, isThread: boolean): bigint {
  const perms = ctx.world.botPermissions(channelId);
  if (!has(perms, Permission.ViewChannel)) throw apiError(403, ErrorCode.MissingAccess);
  if (!has(perms, isThread ? Permission.SendMessagesInThreads : Permission.SendMessages)) throw apiError(403, ErrorCode.MissingPermissions);
  if (files.length > 0 && !has(perms, Permission.AttachFiles)) throw apiError(403, ErrorCode.MissingPermissions);
  if (!has(perms, Permission.EmbedLinks)) delete body.embeds;
  return perms;
}

function mentionsFor(ctx: RouteContext, message: FakeMessage, allowed: unknown, perms: bigint, repliedTo?: FakeMessage): void {
  const guild = ctx.world.guildOfChannel(message.channel_id);
  const allowedObj = typeof allowed === "object" && allowed !== null ? (allowed as Record<string, unknown>) : undefined;
  const pingReplied = repliedTo !== undefined && (allowedObj === undefined || allowedObj.replied_user === true);
  const resolved = resolveMentions(message.content, allowed, perms, guild, ctx.world.users, pingReplied && repliedTo ? [repliedTo.author] : []);
  message.mentions = resolved.mentions;
  message.mention_roles = resolved.mention_roles;
  message.mention_everyone = resolved.mention_everyone;
}

function referencedMessage(ctx: RouteContext, channelId: string, reference: unknown): FakeMessage | undefined {
  if (typeof reference !== "object" || reference === null) return undefined;
  const ref = reference as Record<string, unknown>;
  const id = typeof ref.message_id === "string" ? ref.message_id : undefined;
  const target = id === undefined ? undefined : ctx.world.messages.get(id);
  if (!target || target.deleted || target.channel_id !== (typeof ref.channel_id === "string" ? ref.channel_id : channelId)) {
    if (ref.fail_if_not_exists === false) return undefined;
    const errors = new FormErrors();
    errors.add(["message_reference"], "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
    errors.throwIfAny();
  }
  return target;
}

/**
 * How long a nonce is remembered under enforce_nonce. Discord says "the past few minutes" and no
 * more; the fake takes 3, well past discord.js's own retries (4 attempts of at most 15 s each).
 */
export const NONCE_WINDOW_MS = 3 * 60_000;

/**
 * The message a Create Message with `enforce_nonce: true` repeats: the bot's own message with
 * the same nonce (compared as text), made in the window, in whichever channel (Discord matches
 * on author and nonce only). One deleted since is not made again: 404 10008, as Discord answers
 * (its maintainers: the point is a safe retry, not a way to post again).
 */
export function earlierWithNonce(ctx: RouteContext): FakeMessage | undefined {
  const { nonce, enforce_nonce: enforce } = ctx.body;
  if (enforce !== true || nonce === undefined || nonce === null) return undefined;
  const since = ctx.now - NONCE_WINDOW_MS;
  let earlier: FakeMessage | undefined;
  for (const message of ctx.world.messages.values()) {
    if (message.author.id !== ctx.world.bot.id || message.nonce === undefined || String(message.nonce) !== String(nonce)) continue;
    if (Date.parse(message.timestamp) >= since) earlier = message;
  }
  if (earlier?.deleted) throw apiError(404, ErrorCode.UnknownMessage);
  return earlier;
}

/** A new message by the bot in a channel, from a create body. */
export function createMessage(
  ctx: RouteContext,
  channelId: string,
  fields: Partial<FakeMessage>,
  options: WriteOptions,
  isThread = false,
): FakeMessage {
  const body = { ...ctx.body };
  validateMessageBody(body);
  checkUploadSize(ctx, ctx.files);
  const perms = options.viaInteraction ? ctx.world.botPermissions(channelId) | Permission.EmbedLinks : channelPermissionCheck(ctx, channelId, ctx.files, body, isThread);
  const settable = SETTABLE_FLAGS | (options.viaInteraction ? MessageFlag.Ephemeral : 0);
  const flags = typeof body.flags === "number" ? body.flags & settable : 0;
  const repliedTo = options.viaInteraction ? undefined : referencedMessage(ctx, channelId, body.message_reference);
  const message = newMessage(ctx.world, {
    channel_id: channelId,
    author: ctx.world.bot,
    content: typeof body.content === "string" ? body.content : body.content == null ? "" : String(body.content),
    embeds: embedsOf(body.embeds),
    components: Array.isArray(body.components) ? body.components : [],
    attachments: attachmentsFrom(ctx, channelId, ctx.files, body.attachments),
    flags,
    tts: body.tts === true,
    allowed_mentions: body.allowed_mentions,
    ...fields,
  });
  if (body.nonce !== undefined && (typeof body.nonce === "string" || typeof body.nonce === "number")) message.nonce = body.nonce;
  if (repliedTo) {
    message.type = 19;
    message.message_reference = { type: 0, channel_id: repliedTo.channel_id, message_id: repliedTo.id, guild_id: repliedTo.guild_id };
    (message as unknown as Record<string, unknown>).referenced_message = apiMessage(repliedTo);
  }
  requireNotEmpty(message, body);
  mentionsFor(ctx, message, body.allowed_mentions, perms, repliedTo);
  ctx.world.addMessage(message);
  return message;
}

/** Applies an edit body to a stored message (fields absent from the body stay as they were). */
export function editMessage(ctx: RouteContext, message: FakeMessage, options: WriteOptions): FakeMessage {
  const body = { ...ctx.body };
  validateMessageBody(body);
  checkUploadSize(ctx, ctx.files);
  const perms = ctx.world.botPermissions(message.channel_id) | (options.viaInteraction ? Permission.EmbedLinks : 0n);
  if (!options.viaInteraction && !has(perms, Permission.EmbedLinks)) delete body.embeds;
  const next: FakeMessage = { ...message };
  if ("content" in body) next.content = typeof body.content === "string" ? body.content : body.content == null ? "" : String(body.content);
  if ("embeds" in body) next.embeds = embedsOf(body.embeds);
  if ("components" in body) next.components = Array.isArray(body.components) ? body.components : [];
  if (typeof body.flags === "number") {
    next.flags = (next.flags & ~MessageFlag.SuppressEmbeds) | (body.flags & MessageFlag.SuppressEmbeds);
  }
  const kept = Array.isArray(body.attachments)
    ? message.attachments.filter((a) => (body.attachments as Record<string, unknown>[]).some((k) => String(k?.id) === a.id))
    : message.attachments;
  next.attachments = [...kept, ...attachmentsFrom(ctx, message.channel_id, ctx.files, body.attachments)];
  next.flags &= ~MessageFlag.Loading;
  requireNotEmpty(next, body);
  if ("allowed_mentions" in body) next.allowed_mentions = body.allowed_mentions;
  if ("content" in body) mentionsFor(ctx, next, body.allowed_mentions, perms);
  next.edited_timestamp = isoTime(ctx.now);
  next.edit_count = message.edit_count + 1;
  Object.assign(message, next);
  return message;
}
