// The fake's state: the bot, guilds with their roles and channels, threads, messages,
// interactions and registered commands. Routes and builders read and change it; tests read it
// through the FakeDiscord accessors.
import { isoTime, type FakeClock } from "./clock.js";
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, permissionsIn, toBits } from "./permissions.js";
import { createSnowflakes, type SnowflakeSource } from "./snowflake.js";
import type {
  FakeChannel,
  FakeChannelSpec,
  FakeCommand,
  FakeDiscordOptions,
  FakeGuild,
  FakeGuildSpec,
  FakeInteraction,
  FakeMessage,
  FakeRole,
  FakeUser,
} from "./types.js";

export const THREAD_TYPES = new Set([10, 11, 12]);
/** Channel types messages can be sent in (text, announcement, threads, voice text chat). */
export const TEXT_TYPES = new Set([0, 2, 5, 10, 11, 12]);

export interface World {
  readonly clock: FakeClock;
  readonly ids: SnowflakeSource;
  readonly bot: FakeUser;
  readonly applicationId: string;
  readonly applicationFlags: number;
  readonly guilds: FakeGuild[];
  /** The test user interactions and messages come from by default. */
  readonly tester: FakeUser;
  readonly users: Map<string, FakeUser>;
  /** Configured channels and threads, by id. */
  readonly channels: Map<string, FakeChannel>;
  readonly threads: FakeChannel[];
  readonly messages: Map<string, FakeMessage>;
  /** Message ids per channel, in creation order. */
  readonly order: Map<string, string[]>;
  readonly interactions: Map<string, FakeInteraction>;
  readonly interactionsByToken: Map<string, FakeInteraction>;
  readonly commands: FakeCommand[];
  /** The uploaded bytes of every attachment, by attachment id. */
  readonly attachmentData: Map<string, Uint8Array>;
  guildOfChannel(channelId: string): FakeGuild | undefined;
  /** The bot's permissions in a channel or thread (threads: the parent's overwrites). */
  botPermissions(channelId: string): bigint;
  memberPermissions(guild: FakeGuild, userId: string, roles: readonly string[], channelId?: string): bigint;
  addMessage(message: FakeMessage): void;
  rememberUser(partial: Partial<FakeUser> | undefined, fallback: FakeUser): FakeUser;
}

export function createWorld(options: FakeDiscordOptions, clock: FakeClock): World {
  const ids = createSnowflakes(() => clock.now());
  const botId = options.botUserId ?? ids.next();
  const bot: FakeUser = {
    id: botId,
    username: options.botUsername ?? "Council",
    global_name: null,
    discriminator: "0",
    avatar: null,
    bot: true,
    public_flags: 0,
  };
  const tester: FakeUser = { id: ids.next(), username: "tester", global_name: "Tester", discriminator: "0", avatar: null, public_flags: 0 };
  const users = new Map<string, FakeUser>([
    [bot.id, bot],
    [tester.id, tester],
  ]);
  const channels = new Map<string, FakeChannel>();
  const specs = options.guilds ?? [{}];
  if (specs.length === 0) throw new Error("fake-discord: at least one guild is needed");
  const guilds = specs.map((spec) => makeGuild(spec, bot, ids, channels));
  const messages = new Map<string, FakeMessage>();
  const order = new Map<string, string[]>();

  const world: World = {
    clock,
    ids,
    bot,
    applicationId: options.applicationId ?? botId,
    applicationFlags: options.applicationFlags ?? 1 << 19,
    guilds,
    tester,
    users,
    channels,
    threads: [],
    messages,
    order,
    interactions: new Map(),
    interactionsByToken: new Map(),
    commands: [],
    attachmentData: new Map(),
    guildOfChannel(channelId) {
      const channel = channels.get(channelId);
      return channel ? guilds.find((g) => g.id === channel.guild_id) : undefined;
    },
    botPermissions(channelId) {
      const guild = world.guildOfChannel(channelId);
      if (!guild) return 0n;
      return world.memberPermissions(guild, bot.id, [guild.botRoleId], channelId);
    },
    memberPermissions(guild, userId, roles, channelId) {
      let channel = channelId === undefined ? undefined : channels.get(channelId);
      if (channel && THREAD_TYPES.has(channel.type) && channel.parent_id) channel = channels.get(channel.parent_id) ?? channel;
      return permissionsIn(guild, userId, roles, channel?.permission_overwrites);
    },
    addMessage(message) {
      messages.set(message.id, message);
      let list = order.get(message.channel_id);
      if (!list) order.set(message.channel_id, (list = []));
      list.push(message.id);
      const channel = channels.get(message.channel_id);
      if (channel && (message.flags & 64) === 0) {
        channel.last_message_id = message.id;
        if (channel.message_count !== undefined) channel.message_count++;
        if (channel.total_message_sent !== undefined) channel.total_message_sent++;
      }
    },
    rememberUser(partial, fallback) {
      if (!partial) return fallback;
      const known = partial.id === undefined ? undefined : users.get(partial.id);
      const user: FakeUser = {
        ...(known ?? { ...fallback, id: partial.id ?? ids.next(), bot: undefined }),
        ...partial,
      } as FakeUser;
      if (user.bot === undefined) delete user.bot;
      users.set(user.id, user);
      return user;
    },
  };
  return world;
}

function makeGuild(
  spec: FakeGuildSpec,
  bot: FakeUser,
  ids: SnowflakeSource,
  channels: Map<string, FakeChannel>,
): FakeGuild {
  const id = spec.id ?? ids.next();
  const botRoleId = ids.next();
  const roles: FakeRole[] = [
    role(id, "@everyone", toBits(spec.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS), 0),
    { ...role(botRoleId, bot.username, toBits(spec.botPermissions, DEFAULT_BOT_PERMISSIONS), 1), managed: true, tags: { bot_id: bot.id } },
    ...(spec.roles ?? []).map((r, i) => role(r.id ?? ids.next(), r.name, toBits(r.permissions, 0n), i + 2)),
  ];
  const channelSpecs: FakeChannelSpec[] = spec.channels ?? [{ name: "general" }, { name: "council" }];
  const guildChannels = channelSpecs.map((c, position) => {
    const channel: FakeChannel = {
      id: c.id ?? ids.next(),
      type: c.type ?? 0,
      guild_id: id,
      name: c.name,
      position,
      parent_id: c.parentId ?? null,
      topic: c.topic ?? null,
      nsfw: false,
      rate_limit_per_user: 0,
      last_message_id: null,
      permission_overwrites: c.permissionOverwrites ?? [],
      flags: 0,
    };
    if (c.defaultAutoArchiveDuration !== undefined) channel.default_auto_archive_duration = c.defaultAutoArchiveDuration;
    channels.set(channel.id, channel);
    return channel;
  });
  // The owner has every permission; by default it is someone other than the test user.
  return { id, name: spec.name ?? "Council Test", ownerId: spec.ownerId ?? ids.next(), roles, channels: guildChannels, botRoleId };
}

function role(id: string, name: string, permissions: bigint, position: number): FakeRole {
  return {
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    icon: null,
    unicode_emoji: null,
    flags: 0,
  };
}

/** A guild member object (without `user` when the caller adds it). */
export function memberObject(joinedAt: number, roles: readonly string[]): Record<string, unknown> {
  return {
    roles: [...roles],
    joined_at: isoTime(joinedAt),
    nick: null,
    avatar: null,
    banner: null,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}
