// auth.test, apps.connections.open (app-level token only), conversations.info,
// conversations.history, conversations.replies and users.info.
import { requireArg, SlackError } from "./errors.js";
import { memberChannel, visibleChannel, type MethodDef } from "./method-context.js";
import type { FakeSlackChannel, FakeSlackMessage } from "./types.js";
import type { World } from "./world.js";

function channelInfo(world: World, channel: FakeSlackChannel): Record<string, unknown> {
  const base = { id: channel.id, created: channel.created, is_archived: channel.archived, is_org_shared: false, context_team_id: world.team.id };
  if (channel.isIm) return { ...base, is_im: true, user: channel.user, is_user_deleted: false, priority: 0 };
  return {
    ...base,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    is_general: channel.name === "general",
    is_shared: false,
    is_ext_shared: false,
    is_member: channel.botIsMember,
    creator: world.defaults.userId,
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: "", creator: "", last_set: 0 },
  };
}

function limitOf(value: unknown, fallback: number): number {
  const limit = Number(value ?? fallback);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : fallback;
}

const visible = (messages: FakeSlackMessage[] | undefined): FakeSlackMessage[] => (messages ?? []).filter((m) => !m.deleted);

export const READ_METHODS: Record<string, MethodDef> = {
  "auth.test": {
    token: "bot",
    handle: ({ world }) => ({
      url: `https://${world.team.domain}.slack.com/`,
      team: world.team.name,
      user: world.bot.name,
      team_id: world.team.id,
      user_id: world.bot.userId,
      bot_id: world.bot.botId,
      is_enterprise_install: false,
    }),
  },
  "apps.connections.open": {
    token: "app",
    handle: ({ openSocket }) => ({ url: openSocket() }),
  },
  "conversations.info": {
    token: "bot",
    handle: ({ world, args }) => ({ channel: channelInfo(world, visibleChannel(world, args.channel)) }),
  },
  "conversations.history": {
    token: "bot",
    handle({ world, args }) {
      const channel = memberChannel(world, args.channel);
      const topLevel = visible(world.messages.get(channel.id)).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.options.reply_broadcast === true);
      const newestFirst = topLevel.reverse();
      const limit = limitOf(args.limit, 100);
      return {
        messages: newestFirst.slice(0, limit).map((m) => world.publicMessage(m)),
        has_more: newestFirst.length > limit,
        pin_count: 0,
        response_metadata: { next_cursor: "" },
      };
    },
  },
  "conversations.replies": {
    token: "bot",
    handle({ world, args }) {
      const channel = memberChannel(world, args.channel);
      const ts = requireArg(args, "ts");
      const all = visible(world.messages.get(channel.id));
      const parent = all.find((m) => m.ts === ts);
      if (!parent) throw new SlackError("thread_not_found");
      const root = parent.thread_ts ?? parent.ts;
      const thread = all.filter((m) => m.ts === root || m.thread_ts === root);
      const limit = limitOf(args.limit, 1000);
      return {
        messages: thread.slice(0, limit).map((m) => world.publicMessage(m)),
        has_more: thread.length > limit,
        response_metadata: { next_cursor: "" },
      };
    },
  },
  "users.info": {
    token: "bot",
    handle({ world, args }) {
      const user = world.user(requireArg(args, "user"));
      if (!user) throw new SlackError("user_not_found");
      return { user };
    },
  },
};
