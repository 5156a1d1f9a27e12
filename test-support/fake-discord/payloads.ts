// Discord's JSON for what the fake stores, shaped for where it goes: REST answers carry no
// guild_id/member on messages, gateway MESSAGE_* events do; GUILD_CREATE's channels carry no
// guild_id, channel objects from REST do. discord.js reads all of these.
import { isoTime } from "./clock.js";
import type { FakeChannel, FakeGuild, FakeMessage, FakeUser } from "./types.js";
import { memberObject, type World } from "./world.js";

const FAKE_ONLY = ["allowed_mentions", "edit_count", "deleted", "guild_id"] as const;

/** A message as REST answers it. */
export function apiMessage(message: FakeMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { ...message };
  for (const key of FAKE_ONLY) delete out[key];
  return out;
}

/** A message as MESSAGE_CREATE / MESSAGE_UPDATE carry it: with guild_id and the author's member. */
export function gatewayMessage(world: World, message: FakeMessage, authorRoles: readonly string[] = []): Record<string, unknown> {
  const out = apiMessage(message);
  const guild = world.guildOfChannel(message.channel_id);
  if (!guild) return out;
  out.guild_id = guild.id;
  if (message.webhook_id === undefined || message.author.id === world.bot.id) {
    const roles = message.author.id === world.bot.id ? [guild.botRoleId] : authorRoles;
    out.member = memberObject(world.clock.now() - 86_400_000, roles);
  }
  out.mentions = message.mentions.map((u) => ({ ...u, member: memberObject(world.clock.now() - 86_400_000, []) }));
  return out;
}

export function newMessage(world: World, fields: Partial<FakeMessage> & { channel_id: string; author: FakeUser }): FakeMessage {
  const guild = world.guildOfChannel(fields.channel_id);
  const message: FakeMessage = {
    id: world.ids.next(),
    type: 0,
    content: "",
    embeds: [],
    components: [],
    attachments: [],
    flags: 0,
    timestamp: isoTime(world.clock.now()),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    edit_count: 0,
    deleted: false,
    ...fields,
  };
  if (guild) message.guild_id = guild.id;
  return message;
}

/** A channel as REST answers it (and THREAD_CREATE carries it). */
export function apiChannel(channel: FakeChannel): Record<string, unknown> {
  return { ...channel };
}

export function readyPayload(world: World, sessionId: string, resumeUrl: string): Record<string, unknown> {
  return {
    v: 10,
    user_settings: {},
    user: { ...world.bot, verified: true, mfa_enabled: false, flags: 0, email: null },
    guilds: world.guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: sessionId,
    session_type: "normal",
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: world.applicationId, flags: world.applicationFlags },
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ["fake-local"],
    auth: {},
    _trace: ['["fake-discord-gateway",{"micros":0}]'],
  };
}

export function guildCreatePayload(world: World, guild: FakeGuild): Record<string, unknown> {
  const joined = world.clock.now() - 86_400_000;
  const threads = world.threads.filter((t) => t.guild_id === guild.id && t.thread_metadata?.archived === false);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: "en-US",
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    application_id: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    features: [],
    roles: guild.roles,
    emojis: [],
    stickers: [],
    // GUILD_CREATE's channels and threads come without guild_id.
    channels: guild.channels.map(({ guild_id: _omit, ...rest }) => rest),
    threads: threads.map(({ guild_id: _omit, ...rest }) => rest),
    members: [{ ...memberObject(joined, [guild.botRoleId]), user: world.bot }],
    member_count: 2,
    joined_at: isoTime(joined),
    large: false,
    unavailable: false,
    lazy: true,
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    incidents_data: null,
  };
}
