// Realistic payloads for what Slack sends an app: an app_mention and a message.im event_callback
// (with the user's message stored in the channel, so the bot's thread replies have a parent and
// conversations.replies finds it), and a slash command with a fresh response_url.
import { clientMsgId, eventId, triggerId } from "./ids.js";
import type { SharedFileInput } from "./file-host.js";
import type { AppMentionInput, DirectMessageInput, EventCallback, SlashCommandInput, SlashCommandPayload } from "./types.js";
import type { World } from "./world.js";

/** Keeps a shared file's bytes on the fake's file host and returns Slack's file JSON for it. */
export type ShareFile = (file: SharedFileInput, where: { user: string; channel: string }) => Record<string, unknown>;

/** The verification token Slack still puts in payloads (deprecated, never checked by Bolt). */
export const VERIFICATION_TOKEN = "fakeVerificationToken000";

function richText(text: string): Record<string, unknown>[] {
  return [{ type: "rich_text", block_id: "fake0", elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }] }];
}

function knownUser(world: World, id: string): string {
  if (!world.user(id)) throw new Error(`fake-slack: no user ${id}`);
  return id;
}

function knownChannel(world: World, id: string): string {
  if (!world.channels.has(id)) throw new Error(`fake-slack: no channel ${id}`);
  return id;
}

/** Stores the user's message (unless one with this ts is there) and wraps the event. */
function callback(world: World, event: Record<string, unknown> & { type: string; channel: string; user: string; text: string; ts: string; thread_ts?: string; files?: Record<string, unknown>[] }, id: string | undefined): EventCallback {
  if (!world.message(event.channel, event.ts)) {
    world.add({
      type: "message",
      ...(event.files === undefined ? {} : { subtype: "file_share", files: event.files, upload: true }),
      ts: event.ts,
      user: event.user,
      team: world.team.id,
      text: event.text,
      blocks: richText(event.text),
      ...(event.thread_ts === undefined ? {} : { thread_ts: event.thread_ts }),
      channel: event.channel,
      options: {},
      update_count: 0,
      deleted: false,
      source: "user",
    });
  }
  const now = world.clock.now();
  return {
    token: VERIFICATION_TOKEN,
    team_id: world.team.id,
    context_team_id: world.team.id,
    context_enterprise_id: null,
    api_app_id: world.team.appId,
    event: { ...event, event_ts: event.ts },
    type: "event_callback",
    event_id: id ?? eventId(),
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: world.team.id, user_id: world.bot.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ c: event.channel, t: world.team.id })).toString("base64url")}`,
  };
}

/** The shared files' JSON, as an event carries them (absent without files). */
function sharedFiles(share: ShareFile, files: readonly SharedFileInput[] | undefined, where: { user: string; channel: string }): { files?: Record<string, unknown>[] } {
  return files === undefined || files.length === 0 ? {} : { files: files.map((file) => share(file, where)) };
}

export function buildAppMention(world: World, share: ShareFile, input: AppMentionInput): EventCallback {
  const mention = `<@${world.bot.userId}>`;
  const text = input.text.includes(mention) ? input.text : `${mention} ${input.text}`;
  const channel = knownChannel(world, input.channel ?? world.defaults.channelId);
  const user = knownUser(world, input.user ?? world.defaults.userId);
  const ts = input.ts ?? world.ts.next(world.clock.now());
  return callback(
    world,
    {
      type: "app_mention",
      user,
      text,
      ts,
      client_msg_id: clientMsgId(),
      team: world.team.id,
      blocks: richText(text),
      channel,
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
      // An app_mention carries the files of the message that mentions the bot (no subtype).
      ...sharedFiles(share, input.files, { user, channel }),
    },
    input.eventId,
  );
}

export function buildDirectMessage(world: World, share: ShareFile, input: DirectMessageInput): EventCallback {
  const user = knownUser(world, input.user ?? world.defaults.userId);
  const dm = input.channel ?? [...world.channels.values()].find((c) => c.isIm && c.user === user)?.id;
  if (!dm) throw new Error(`fake-slack: no DM channel with ${user}; add one in options.channels ({ im: true, user })`);
  const ts = input.ts ?? world.ts.next(world.clock.now());
  const files = sharedFiles(share, input.files, { user, channel: dm });
  return callback(
    world,
    {
      type: "message",
      // A message that shares files is a file_share message, with upload: true.
      ...(files.files === undefined ? {} : { subtype: "file_share", upload: true, display_as_bot: false }),
      ...files,
      user,
      text: input.text,
      ts,
      client_msg_id: clientMsgId(),
      team: world.team.id,
      blocks: richText(input.text),
      channel: knownChannel(world, dm),
      channel_type: "im",
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    },
    input.eventId,
  );
}

export function buildSlashCommand(world: World, input: SlashCommandInput, issueResponseUrl: (command: { command: string; channel: string; user: string }) => string): SlashCommandPayload {
  const command = input.command ?? "/council";
  const channelId = knownChannel(world, input.channelId ?? world.defaults.channelId);
  const userId = knownUser(world, input.userId ?? world.defaults.userId);
  const channel = world.channels.get(channelId);
  return {
    token: VERIFICATION_TOKEN,
    team_id: world.team.id,
    team_domain: world.team.domain,
    channel_id: channelId,
    channel_name: channel?.isIm ? "directmessage" : (channel?.name ?? ""),
    user_id: userId,
    user_name: world.user(userId)?.name ?? "",
    command,
    text: input.text ?? "",
    api_app_id: world.team.appId,
    is_enterprise_install: "false",
    response_url: issueResponseUrl({ command, channel: channelId, user: userId }),
    trigger_id: triggerId(world.clock.now()),
  };
}
