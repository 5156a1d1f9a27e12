// What users do, as the gateway delivers it: slash commands and component clicks
// (INTERACTION_CREATE payloads like Discord's, registered so their tokens work) and messages
// (stored, returned as the MESSAGE_CREATE payload). The test dispatches them.
import { randomBytes } from "node:crypto";
import type { Cdn } from "./cdn.js";
import { resolveMentions } from "./mentions.js";
import { apiChannel, apiMessage, gatewayMessage, newMessage } from "./payloads.js";
import type {
  CommandInteractionInput,
  ComponentInteractionInput,
  FakeChannel,
  FakeGuild,
  FakeInteraction,
  FakeInteractionPayload,
  FakeUser,
  MessageCreateInput,
  MessageCreatePayload,
} from "./types.js";
import { memberObject, TEXT_TYPES, type World } from "./world.js";

/** A bot's attachment limit in bytes, as interactions report it. */
export const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

function interactionToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(48).toString("base64url")}`).toString("base64url");
}

function guildAndChannel(world: World, guildId: string | undefined, channelId: string | undefined): { guild: FakeGuild; channel: FakeChannel } {
  const guild = guildId === undefined ? world.guilds[0] : world.guilds.find((g) => g.id === guildId);
  if (!guild) throw new Error(`fake-discord: no guild ${String(guildId)}`);
  const channel =
    channelId === undefined ? guild.channels.find((c) => TEXT_TYPES.has(c.type)) : world.channels.get(channelId);
  if (!channel || channel.guild_id !== guild.id) throw new Error(`fake-discord: no channel ${String(channelId)} in guild ${guild.id}`);
  return { guild, channel };
}

interface Invoker {
  user?: Partial<FakeUser>;
  roles?: string[];
  permissions?: string;
  member?: Record<string, unknown>;
  locale?: string;
}

function basePayload(
  world: World,
  guild: FakeGuild,
  channel: FakeChannel,
  invoker: Invoker,
  type: number,
  data: Record<string, unknown>,
): { payload: FakeInteractionPayload; interaction: FakeInteraction } {
  const user = world.rememberUser(invoker.user, world.tester);
  const roles = invoker.roles ?? [];
  const permissions = invoker.permissions ?? world.memberPermissions(guild, user.id, roles, channel.id).toString();
  const id = world.ids.next();
  const token = interactionToken(id);
  const now = world.clock.now();
  const payload: FakeInteractionPayload = {
    id,
    application_id: world.applicationId,
    type,
    token,
    version: 1,
    data,
    guild_id: guild.id,
    guild: { id: guild.id, locale: "en-US", features: [] },
    guild_locale: "en-US",
    channel_id: channel.id,
    channel: { ...apiChannel(channel), permissions },
    member: { ...memberObject(now - 86_400_000, roles), ...invoker.member, user, roles, permissions },
    app_permissions: world.botPermissions(channel.id).toString(),
    locale: invoker.locale ?? "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": guild.id },
    context: 0,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  const interaction: FakeInteraction = { id, token, type, channelId: channel.id, guildId: guild.id, userId: user.id, createdAt: now, followupIds: [] };
  world.interactions.set(id, interaction);
  world.interactionsByToken.set(token, interaction);
  return { payload, interaction };
}

function optionType(value: string | number | boolean, registered: number | undefined): number {
  if (registered !== undefined) return registered;
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

export function buildCommandInteraction(world: World, cdn: Cdn, input: CommandInteractionInput): FakeInteractionPayload {
  const { guild, channel } = guildAndChannel(world, input.guildId, input.channelId);
  const command =
    world.commands.find((c) => c.name === input.name && c.type === 1 && c.guild_id === guild.id) ??
    world.commands.find((c) => c.name === input.name && c.type === 1 && c.guild_id === undefined);
  let options: Record<string, unknown>[] | undefined;
  if (Array.isArray(input.options)) options = input.options;
  else if (input.options) {
    const registered = (command?.options ?? []) as { name?: unknown; type?: unknown }[];
    options = Object.entries(input.options).map(([name, value]) => {
      const type = registered.find((o) => o.name === name)?.type;
      return { name, type: optionType(value, typeof type === "number" ? type : undefined), value };
    });
  }
  // An attachment option's value is the attachment's id; the attachment itself is in resolved.attachments.
  const attachments: Record<string, unknown> = {};
  for (const [name, file] of Object.entries(input.attachments ?? {})) {
    const attachment = cdn.attach({ applicationId: world.applicationId }, file);
    attachments[attachment.id] = attachment;
    (options ??= []).push({ name, type: 11, value: attachment.id });
  }
  const data: Record<string, unknown> = { id: input.commandId ?? command?.id ?? world.ids.next(), name: input.name, type: 1 };
  if (options && options.length > 0) data.options = options;
  if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
  const resolved = Object.keys(attachments).length > 0 ? { ...input.resolved, attachments: { ...(input.resolved?.attachments as object | undefined), ...attachments } } : input.resolved;
  if (resolved) data.resolved = resolved;
  const { payload, interaction } = basePayload(world, guild, channel, input, 2, data);
  interaction.commandName = input.name;
  return payload;
}

export function buildComponentInteraction(world: World, input: ComponentInteractionInput): FakeInteractionPayload {
  const { guild, channel } = guildAndChannel(world, world.guildOfChannel(input.channelId)?.id, input.channelId);
  const message = world.messages.get(input.messageId);
  if (!message || message.channel_id !== channel.id || message.deleted) {
    throw new Error(`fake-discord: no message ${input.messageId} in channel ${input.channelId}`);
  }
  const data: Record<string, unknown> = { custom_id: input.customId, component_type: input.componentType ?? 2 };
  if (input.values) data.values = input.values;
  const { payload, interaction } = basePayload(world, guild, channel, input, 3, data);
  payload.message = apiMessage(message);
  interaction.originalMessageId = message.id;
  return payload;
}

export function buildMessageCreate(world: World, cdn: Cdn, input: MessageCreateInput): MessageCreatePayload {
  const channel = world.channels.get(input.channelId);
  if (!channel || !TEXT_TYPES.has(channel.type)) throw new Error(`fake-discord: no text channel ${input.channelId}`);
  const guild = world.guildOfChannel(channel.id);
  const author = world.rememberUser(input.author, world.tester);
  const roles = input.roles ?? [];
  const extra = (input.mentions ?? []).map((m) => (typeof m === "string" ? world.users.get(m) : world.rememberUser(m, world.tester)));
  const perms = guild ? world.memberPermissions(guild, author.id, roles, channel.id) : 0n;
  const mentioned = resolveMentions(input.content, undefined, perms, guild, world.users, extra.filter((u): u is FakeUser => u !== undefined));
  const attachments = (input.attachments ?? []).map((file) => cdn.attach({ channelId: channel.id }, file));
  const message = newMessage(world, { channel_id: channel.id, author, content: input.content, attachments, ...mentioned });
  if (input.replyTo !== undefined) {
    const target = world.messages.get(input.replyTo);
    if (!target || target.channel_id !== channel.id) throw new Error(`fake-discord: no message ${input.replyTo} to reply to in ${channel.id}`);
    message.type = 19;
    message.message_reference = { type: 0, channel_id: channel.id, message_id: target.id, guild_id: guild?.id };
    (message as unknown as Record<string, unknown>).referenced_message = apiMessage(target);
  }
  world.addMessage(message);
  return gatewayMessage(world, message, roles) as MessageCreatePayload;
}
