// What the fake Slack knows: one workspace, its users (the bot among them), its channels and the
// messages in them, and the ephemeral messages it showed. Handlers change it; tests read it.
import { readFileSync } from "node:fs";
import type { FakeClock } from "./clock.js";
import { createTsSource, type TsSource } from "./ids.js";
import type { FakeChannelSpec, FakeEphemeral, FakeSlackChannel, FakeSlackFile, FakeSlackMessage, FakeSlackOptions, FakeSlackUser, FakeUserSpec } from "./types.js";

export interface Team {
  id: string;
  name: string;
  domain: string;
  appId: string;
}

export interface Bot {
  userId: string;
  botId: string;
  name: string;
}

export interface World {
  clock: FakeClock;
  ts: TsSource;
  team: Team;
  bot: Bot;
  users: FakeSlackUser[];
  channels: Map<string, FakeSlackChannel>;
  /** By channel, oldest first (deleted ones stay, flagged). */
  messages: Map<string, FakeSlackMessage[]>;
  ephemerals: FakeEphemeral[];
  /** Files of the external upload flow, in the order they were announced. */
  files: FakeSlackFile[];
  /** The bot token's scopes. */
  scopes: ReadonlySet<string>;
  /** The first human user, the first public channel, that user's DM with the bot. */
  defaults: { userId: string; channelId: string; dmChannelId: string };
  user(id: string): FakeSlackUser | undefined;
  /** A channel by id, or by name ("general" or "#general") as chat.postMessage allows. */
  findChannel(idOrName: string): FakeSlackChannel | undefined;
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /** The bot's DM with a user, opened (created) if there is none yet, as conversations.open does. */
  openIm(userId: string): FakeSlackChannel;
  /** Appends a message, updating its thread parent's reply fields. */
  add(message: FakeSlackMessage): FakeSlackMessage;
  /** The public shape of a message (fake-only fields left out). */
  publicMessage(message: FakeSlackMessage): Record<string, unknown>;
}

/** The bot scopes of config/slack-manifest.json: what an app installed from it has. */
export const MANIFEST_SCOPES: readonly string[] = (
  JSON.parse(readFileSync(new URL("../../config/slack-manifest.json", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[] } } }
).oauth_config.scopes.bot;

const DEFAULT_USERS: FakeUserSpec[] = [{ id: "U0USER001", name: "tester", realName: "Test User" }];

function userOf(spec: FakeUserSpec, teamId: string, index: number): FakeSlackUser {
  const realName = spec.realName ?? spec.name;
  return {
    id: spec.id ?? `U0USER${String(index + 1).padStart(3, "0")}`,
    team_id: teamId,
    name: spec.name,
    real_name: realName,
    deleted: false,
    is_bot: spec.isBot ?? false,
    is_admin: spec.isAdmin ?? false,
    is_app_user: false,
    tz: "Europe/London",
    profile: { real_name: realName, display_name: spec.name },
  };
}

function channelOf(spec: FakeChannelSpec, index: number, created: number, firstUser: string): FakeSlackChannel {
  const im = spec.im ?? false;
  const prefix = im ? "D" : spec.private ? "G" : "C";
  return {
    id: spec.id ?? `${prefix}0CHAN${String(index + 1).padStart(3, "0")}`,
    name: spec.name,
    isIm: im,
    isPrivate: im || (spec.private ?? false),
    botIsMember: spec.botIsMember ?? true,
    archived: spec.archived ?? false,
    ...(im ? { user: spec.user ?? firstUser } : {}),
    created,
  };
}

/** What every message the bot posts starts with, as Slack stamps it: a new ts, the bot's user, bot and app ids, the team. */
export function botMessageHead(world: World, now: number) {
  return {
    type: "message" as const,
    ts: world.ts.next(now),
    user: world.bot.userId,
    bot_id: world.bot.botId,
    app_id: world.team.appId,
    team: world.team.id,
  };
}

export function createWorld(options: FakeSlackOptions, clock: FakeClock): World {
  const team: Team = {
    id: options.teamId ?? "T0TEAM001",
    name: options.teamName ?? "Council Test",
    domain: options.teamDomain ?? "council-test",
    appId: options.appId ?? "A0APP0001",
  };
  const bot: Bot = { userId: options.botUserId ?? "U0BOT0001", botId: options.botId ?? "B0BOT0001", name: options.botName ?? "council" };
  const humans = (options.users ?? DEFAULT_USERS).map((spec, index) => userOf(spec, team.id, index));
  const firstUser = humans.find((u) => !u.is_bot);
  if (!firstUser) throw new Error("fake-slack: needs at least one human user");
  const botUser: FakeSlackUser = {
    ...userOf({ id: bot.userId, name: bot.name, isBot: true }, team.id, 0),
    is_app_user: false,
    profile: { real_name: bot.name, display_name: bot.name, bot_id: bot.botId },
  };
  const users = [botUser, ...humans];

  const created = Math.floor(clock.now() / 1000);
  const specs: FakeChannelSpec[] = options.channels ?? [
    { id: "C0GENERAL", name: "general" },
    { id: "C0COUNCIL", name: "council" },
    { id: "D0USER001", name: firstUser.id, im: true, user: firstUser.id },
  ];
  const channels = new Map<string, FakeSlackChannel>();
  specs.forEach((spec, index) => {
    const channel = channelOf(spec, index, created, firstUser.id);
    if (channels.has(channel.id)) throw new Error(`fake-slack: two channels with id ${channel.id}`);
    channels.set(channel.id, channel);
  });
  const firstPublic = [...channels.values()].find((c) => !c.isIm);
  if (!firstPublic) throw new Error("fake-slack: needs at least one channel that is not a DM");
  const dm = [...channels.values()].find((c) => c.isIm && c.user === firstUser.id);

  const messages = new Map<string, FakeSlackMessage[]>();
  const world: World = {
    clock,
    ts: createTsSource(),
    team,
    bot,
    users,
    channels,
    messages,
    ephemerals: [],
    files: [],
    scopes: new Set(options.scopes ?? MANIFEST_SCOPES),
    defaults: { userId: firstUser.id, channelId: firstPublic.id, dmChannelId: dm?.id ?? "" },
    user: (id) => users.find((u) => u.id === id),
    findChannel(idOrName) {
      const direct = channels.get(idOrName);
      if (direct) return direct;
      const name = idOrName.replace(/^#/, "");
      return [...channels.values()].find((c) => !c.isIm && c.name === name);
    },
    message: (channel, ts) => messages.get(channel)?.find((m) => m.ts === ts),
    openIm(userId) {
      const open = [...channels.values()].find((c) => c.isIm && c.user === userId);
      if (open) return open;
      const im = channelOf({ name: userId, im: true, user: userId }, channels.size, Math.floor(clock.now() / 1000), firstUser.id);
      channels.set(im.id, im);
      return im;
    },
    add(message) {
      let list = messages.get(message.channel);
      if (!list) messages.set(message.channel, (list = []));
      list.push(message);
      if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
        const parent = list.find((m) => m.ts === message.thread_ts);
        if (parent) {
          // The parent becomes a thread parent: Slack gives it thread_ts = its own ts.
          parent.thread_ts = parent.ts;
          parent.reply_count = (parent.reply_count ?? 0) + 1;
          const replyUsers = new Set([...(parent.reply_users ?? []), message.user]);
          parent.reply_users = [...replyUsers];
          parent.reply_users_count = replyUsers.size;
          parent.latest_reply = message.ts;
          message.parent_user_id = parent.user;
        }
      }
      return message;
    },
    publicMessage(message) {
      const { channel: _channel, options: _options, update_count: _updates, deleted: _deleted, source: _source, ...rest } = message;
      return rest;
    },
  };
  return world;
}
