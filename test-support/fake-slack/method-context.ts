// What every Web API method handler gets, and the channel checks they share. A handler returns
// the answer's fields besides `ok`, or throws a SlackError.
import { SlackError } from "./errors.js";
import type { FakeSlackChannel } from "./types.js";
import type { World } from "./world.js";

export interface MethodContext {
  world: World;
  args: Readonly<Record<string, unknown>>;
  /** Fake clock, ms. */
  now: number;
  /** Issues a Socket Mode ticket and returns the WebSocket URL for it. */
  openSocket(): string;
  /** http://127.0.0.1:PORT, for the URLs the fake hands out (file upload URLs). */
  baseUrl: string;
}

export type MethodHandler = (ctx: MethodContext) => Record<string, unknown>;

export interface MethodDef {
  /** The token kind the method takes: bot methods refuse app-level tokens and the other way round. */
  token: "bot" | "app";
  /** The bot scope it needs; without it Slack answers missing_scope. */
  scope?: string;
  handle: MethodHandler;
}

function lookup(world: World, value: unknown): FakeSlackChannel {
  if (value === undefined || value === null || value === "") throw new SlackError("channel_not_found");
  const key = String(value);
  // A user id means that user's DM with the bot, as chat.postMessage allows.
  const channel = world.findChannel(key) ?? [...world.channels.values()].find((c) => c.isIm && c.user === key);
  if (!channel) throw new SlackError("channel_not_found");
  return channel;
}

/** A channel the bot can see: a private channel (or DM) without the bot does not exist for it. */
export function visibleChannel(world: World, value: unknown): FakeSlackChannel {
  const channel = lookup(world, value);
  if (!channel.botIsMember && channel.isPrivate) throw new SlackError("channel_not_found");
  return channel;
}

/** A channel whose history the bot can read: it must be in it. */
export function memberChannel(world: World, value: unknown): FakeSlackChannel {
  const channel = visibleChannel(world, value);
  if (!channel.botIsMember) throw new SlackError("not_in_channel");
  return channel;
}

/** A channel the bot can write to: a member, and not archived. */
export function writableChannel(world: World, value: unknown): FakeSlackChannel {
  const channel = memberChannel(world, value);
  if (channel.archived) throw new SlackError("is_archived");
  return channel;
}
