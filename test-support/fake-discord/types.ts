// The vocabulary of the fake Discord: what a test configures, what the fake stores (in Discord's
// own JSON shapes, snake_case, so a test compares against what discord.js sent and received),
// and what it records about every REST call and gateway session.
import type { AttachmentInput } from "./cdn.js";
import type { FakeClock } from "./clock.js";
import type { DownloadFault, RecordedDownload } from "../fake-kit/file-downloads.js";

export interface FakeDiscordOptions {
  /** The bot user's id. Default: a fresh snowflake. */
  botUserId?: string;
  /** Default "Council". */
  botUsername?: string;
  /** Default: the bot user's id (as for every bot made in the developer portal). */
  applicationId?: string;
  /** READY's `application.flags`. Default: 1 << 19 (GATEWAY_MESSAGE_CONTENT_LIMITED, a young bot). */
  applicationFlags?: number;
  /** When set, only this bot token is accepted: REST answers 401, IDENTIFY closes with 4004. Default: any token. */
  token?: string;
  /** Default: one guild "Council Test" with text channels #general and #council. */
  guilds?: FakeGuildSpec[];
  /** HELLO's heartbeat_interval. Default 41250 (Discord's). */
  heartbeatIntervalMs?: number;
  /**
   * Privileged intents the bot may ask for (GUILD_MEMBERS 1<<1, GUILD_PRESENCES 1<<8, MESSAGE_CONTENT
   * 1<<15); asking for others closes the gateway with 4014 like an unticked portal switch.
   * Default: all three.
   */
  allowedPrivilegedIntents?: number;
  rateLimits?: FakeRateLimits;
  /** Time to the first response to an interaction; later callbacks get 404 10062. Default 3000. */
  ackDeadlineMs?: number;
  /** Life of an interaction token for webhook routes; later they get 401 50027. Default 15 minutes. */
  tokenLifetimeMs?: number;
  /**
   * Dispatch the gateway events Discord sends after REST writes (MESSAGE_CREATE/UPDATE/DELETE,
   * THREAD_CREATE) to sessions with the matching intents. Default true.
   */
  echoEvents?: boolean;
  /** Total upload size per request; larger gets 413 40005. Default 10 MiB (a bot's limit). */
  maxUploadBytes?: number;
}

export interface FakeRateLimits {
  /**
   * Message edits (PATCH of a channel message, or of an interaction/webhook message, which lives
   * in the interaction's channel), counted per channel whatever the route. Default 5 per 5000 ms.
   * `advertised` (default false): whether successful edits show this limit in their
   * X-RateLimit-* headers. Discord does not document it, so by default it behaves like Discord's
   * undocumented sublimits: the headers of a successful edit show the generous route bucket and
   * only the 429 shows the edit limit, so a client that only follows headers still hits 429s.
   */
  edits?: { limit?: number; windowMs?: number; advertised?: boolean };
  /** Every other route, per route bucket and top-level resource (channel, guild, webhook). Default 50 per 1000 ms. */
  routes?: { limit?: number; windowMs?: number };
}

export interface FakeGuildSpec {
  id?: string;
  name?: string;
  ownerId?: string;
  /** Default: text channels "general" and "council". */
  channels?: FakeChannelSpec[];
  /** Roles besides @everyone (id = guild id) and the bot's managed role. */
  roles?: FakeRoleSpec[];
  /** @everyone's permissions. Default: view, send, read history, embed, attach, react, slash commands, public threads. */
  everyonePermissions?: bigint | string;
  /** The bot's managed role. Default: the @everyone set plus MENTION_EVERYONE, MANAGE_MESSAGES, MANAGE_THREADS. */
  botPermissions?: bigint | string;
}

export interface FakeChannelSpec {
  id?: string;
  name: string;
  /** 0 text (default), 2 voice, 4 category, 5 announcement, 15 forum. */
  type?: number;
  parentId?: string;
  topic?: string;
  permissionOverwrites?: FakeOverwrite[];
  /** Threads made here without auto_archive_duration use it; discord.js sends it when present. */
  defaultAutoArchiveDuration?: number;
}

export interface FakeRoleSpec {
  id?: string;
  name: string;
  permissions?: bigint | string;
}

export interface FakeOverwrite {
  id: string;
  /** 0 role, 1 member. */
  type: 0 | 1;
  allow: string;
  deny: string;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
  public_flags?: number;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  colors: { primary_color: number; secondary_color: number | null; tertiary_color: number | null };
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  icon: null;
  unicode_emoji: null;
  flags: number;
  tags?: { bot_id: string };
}

/** A guild channel or thread in Discord's channel JSON. */
export interface FakeChannel {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  position?: number;
  parent_id: string | null;
  topic?: string | null;
  nsfw?: boolean;
  rate_limit_per_user: number;
  last_message_id: string | null;
  permission_overwrites?: FakeOverwrite[];
  flags: number;
  default_auto_archive_duration?: number;
  // Threads only.
  owner_id?: string;
  message_count?: number;
  member_count?: number;
  total_message_sent?: number;
  thread_metadata?: {
    archived: boolean;
    auto_archive_duration: number;
    archive_timestamp: string;
    locked: boolean;
    create_timestamp: string;
    invitable?: boolean;
  };
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: FakeRole[];
  /** The configured channels (threads are in `threads`). */
  channels: FakeChannel[];
  botRoleId: string;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
  /** A slash command's attachment option: Discord removes it after a while. */
  ephemeral?: boolean;
}

/**
 * A stored message in Discord's message JSON, plus three fake-only fields (never sent to a
 * client): `allowed_mentions` as the last create/edit asked, `edit_count`, and `deleted`.
 */
export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  type: number;
  content: string;
  author: FakeUser;
  embeds: Record<string, unknown>[];
  components: unknown[];
  attachments: FakeAttachment[];
  /** 64 ephemeral, 128 loading (a deferred reply not edited yet), 32 has-thread, 4 suppress-embeds. */
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: FakeUser[];
  mention_roles: string[];
  pinned: boolean;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: Record<string, unknown>;
  interaction?: Record<string, unknown>;
  message_reference?: Record<string, unknown>;
  thread?: FakeChannel;
  position?: number;
  // Fake-only.
  allowed_mentions?: unknown;
  edit_count: number;
  deleted: boolean;
}

export interface FakeCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  description: string;
  type: number;
  options?: Record<string, unknown>[];
  default_member_permissions: string | null;
  version: string;
  nsfw: boolean;
  [key: string]: unknown;
}

/** What the fake knows about an interaction it built. */
export interface FakeInteraction {
  id: string;
  token: string;
  /** 2 application command, 3 message component. */
  type: number;
  channelId: string;
  guildId: string;
  userId: string;
  commandName?: string;
  /** When it was built (fake clock, ms). */
  createdAt: number;
  /** When it was dispatched; the 3 s deadline and the 15 min token count from here (or createdAt). */
  dispatchedAt?: number;
  /** The first callback, once one succeeded. */
  ack?: { type: number; at: number; ephemeral: boolean };
  /** "@original": the reply, the deferred (loading) message, or a component's message. */
  originalMessageId?: string;
  followupIds: string[];
}

export type RouteName =
  | "getGateway"
  | "getGatewayBot"
  | "getCurrentUser"
  | "getCurrentApplication"
  | "interactionCallback"
  | "getOriginal"
  | "editOriginal"
  | "deleteOriginal"
  | "createFollowup"
  | "getWebhookMessage"
  | "editWebhookMessage"
  | "deleteWebhookMessage"
  | "getChannel"
  | "listMessages"
  | "createMessage"
  | "getMessage"
  | "editMessage"
  | "deleteMessage"
  | "startThreadFromMessage"
  | "startThread"
  | "typing"
  | "getCommands"
  | "putCommands"
  | "createCommand"
  | "getGuildCommands"
  | "putGuildCommands"
  | "createGuildCommand";

export interface RecordedFile {
  /** The form field, e.g. "files[0]". */
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface RecordedCall {
  /** 1, 2, 3... in arrival order. */
  id: number;
  method: string;
  /** The path under the versioned base, e.g. "/channels/123/messages" (the REST base is `${url}/api`, calls go to /api/v10/...). */
  path: string;
  /** Which route it matched; undefined for 404/405. */
  route?: RouteName;
  /** Path parameters of the route, e.g. { channelId, messageId }. */
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** The Authorization header's scheme. Interaction and webhook routes go without one. */
  auth: "Bot" | "Bearer" | "none";
  /** The parsed JSON body, or for multipart the parsed payload_json. */
  body: unknown;
  /** Files of a multipart body (names and sizes, not contents). */
  files: RecordedFile[];
  /** X-Audit-Log-Reason, decoded. */
  reason?: string;
  /** Fake clock, ms. */
  at: number;
  /** Set once answered. */
  status?: number;
  response?: unknown;
  /** The headers the fake answered with (X-RateLimit-*, Retry-After, ...). */
  responseHeaders?: Readonly<Record<string, string>>;
  answeredAt?: number;
  /** A scripted failNext fault answered this call (after applying it, with `afterApplying`). */
  fault?: boolean;
}

export interface IdentifyRecord {
  token: string;
  intents: number;
  properties: unknown;
  shard?: unknown;
  compress?: unknown;
  presence?: unknown;
  at: number;
  sessionId: string;
}

export type CallMatcher =
  | RouteName
  | { method?: string; path?: string | RegExp; route?: RouteName }
  | ((call: RecordedCall) => boolean);

export interface FakeFault {
  status: number;
  /** Discord's JSON error code (default 0); the message defaults to Discord's text for it. */
  code?: number;
  message?: string;
  /** How many matching calls fail. Default 1. */
  times?: number;
  /** For status 429: the retry_after sent (default 1000 ms). */
  retryAfterMs?: number;
  /**
   * With a 5xx status: the call is applied first (a message created, an edit made, its gateway
   * events sent) and only its answer is replaced by the error, as when Discord's edge loses the
   * response of a write that went through. Default false: the call changes nothing.
   */
  afterApplying?: boolean;
}

export interface CommandInteractionInput {
  name: string;
  /**
   * Option values by name (typed from the registered command when there is one, else string 3,
   * integer 4, number 10, boolean 5), or raw option objects for subcommands and the like.
   */
  options?: Record<string, string | number | boolean> | Record<string, unknown>[];
  /** Who runs it. Default: the test user "tester". */
  user?: Partial<FakeUser>;
  /** Role ids of the invoking member. */
  roles?: string[];
  /** The member's permissions string (e.g. "8" for an admin). Default: computed from @everyone and `roles`. */
  permissions?: string;
  /** Extra member fields, merged over the default member. */
  member?: Record<string, unknown>;
  /** Default: the first text channel of the guild. */
  channelId?: string;
  /** Default: the first guild. */
  guildId?: string;
  locale?: string;
  /** Default: the registered command's id, else a fresh one. */
  commandId?: string;
  resolved?: Record<string, unknown>;
  /**
   * Files for attachment options (type 11), by option name: stored on the fake's CDN, sent as
   * the option's value (the attachment id) and in `data.resolved.attachments`, as Discord does.
   */
  attachments?: Record<string, AttachmentInput>;
}

export interface ComponentInteractionInput {
  customId: string;
  /** The message the component is on (stored in the fake). */
  channelId: string;
  messageId: string;
  /** 2 button (default), 3 string select, ... */
  componentType?: number;
  values?: string[];
  user?: Partial<FakeUser>;
  roles?: string[];
  permissions?: string;
  locale?: string;
}

export interface MessageCreateInput {
  channelId: string;
  content: string;
  /** Default: the test user "tester". */
  author?: Partial<FakeUser>;
  /** Users mentioned besides the `<@id>` mentions parsed from content: ids (the bot's id gives the bot) or users. */
  mentions?: (string | Partial<FakeUser>)[];
  roles?: string[];
  /** Reply to this message (must be in the same channel). */
  replyTo?: string;
  /** Files the user attaches: stored on the fake's CDN, in the message's `attachments`. */
  attachments?: AttachmentInput[];
}

/** A MESSAGE_CREATE payload: the message with guild_id and the author's member. */
export type MessageCreatePayload = Record<string, unknown> & {
  id: string;
  channel_id: string;
  guild_id?: string;
  content: string;
  author: FakeUser;
  mentions: FakeUser[];
};

/** An interaction payload as Discord sends it in INTERACTION_CREATE. */
export interface FakeInteractionPayload {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version: 1;
  data: Record<string, unknown>;
  guild_id: string;
  guild: { id: string; locale: string; features: string[] };
  guild_locale: string;
  channel_id: string;
  channel: Record<string, unknown>;
  member: Record<string, unknown> & { user: FakeUser; roles: string[]; permissions: string };
  message?: Record<string, unknown>;
  app_permissions: string;
  locale: string;
  entitlements: unknown[];
  authorizing_integration_owners: Record<string, string>;
  context: number;
  attachment_size_limit: number;
}

export interface FakeDiscord {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** `${url}/api`: give it to discord.js as `rest: { api: fake.restBase }`. */
  readonly restBase: string;
  /** ws://127.0.0.1:PORT, what GET /gateway/bot answers. */
  readonly gatewayUrl: string;
  readonly botUserId: string;
  readonly applicationId: string;
  /** The first guild's id, and the first text channel in it. */
  readonly guildId: string;
  readonly channelId: string;
  readonly guilds: readonly FakeGuild[];
  readonly clock: FakeClock;
  /** Shorthand for clock.advance(ms). */
  advanceTime(ms: number): void;

  // Gateway.
  /**
   * Sends a dispatch (op 0) to every identified session whose intents get the event, with
   * MESSAGE_* content blanked for sessions without MESSAGE_CONTENT (unless the bot is mentioned
   * or wrote it). Returns how many sessions got it; throws when no session is identified.
   */
  dispatch(t: string, d: unknown): number;
  /** Builds (and registers: its token is valid from now) a slash-command interaction. */
  interactionCommand(input: CommandInteractionInput): FakeInteractionPayload;
  /** Builds (and registers) a button/select interaction on a stored message. */
  interactionComponent(input: ComponentInteractionInput): FakeInteractionPayload;
  /** Stores a message by a user and returns the MESSAGE_CREATE payload for it (dispatch it yourself). */
  messageCreate(input: MessageCreateInput): MessageCreatePayload;
  readonly identifies: readonly IdentifyRecord[];
  /** Heartbeats (op 1) received, all sessions. */
  readonly heartbeats: number;
  /** RESUMEs the gateway answered with RESUMED. */
  readonly resumes: number;
  /** Sends op 7 Reconnect to every session, as Discord does before moving one: discord.js resumes. */
  requestReconnect(): void;
  /** Sessions connected and identified now. */
  sessions(): number;
  waitForIdentify(timeoutMs?: number): Promise<IdentifyRecord>;

  // REST record.
  readonly calls: readonly RecordedCall[];
  /** The first answered call matching, now or later. */
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** 429s the fake sent (rate limits and scripted 429s). */
  readonly rateLimitHits: number;

  // State.
  message(channelId: string, id: string): FakeMessage | undefined;
  /** Messages of a channel or thread in order, ephemeral ones included, deleted ones not. */
  messagesIn(channelId: string): FakeMessage[];
  readonly threads: readonly FakeChannel[];
  channel(id: string): FakeChannel | undefined;
  /** Registered commands: global without a guild id. */
  commands(guildId?: string): readonly FakeCommand[];
  interaction(id: string): FakeInteraction | undefined;
  /** The bytes uploaded for an attachment (a message's `attachments[i].id`), as its CDN URL would serve them. */
  attachmentData(attachmentId: string): Uint8Array | undefined;
  /** Every request to the CDN (attachments' URLs): path, Authorization, status, bytes written, completed. */
  readonly downloads: readonly RecordedDownload[];
  /** The next CDN download misbehaves: a status, a chunked body, a lying Content-Length, a body that stalls. */
  failNextDownload(fault: DownloadFault): void;

  // Scripting.
  /**
   * The next `times` (default 1) calls matching fail with this status and Discord error body;
   * with `afterApplying` (5xx only) they are applied first and only their answers are lost.
   */
  failNext(matcher: CallMatcher, fault: FakeFault): void;
  /** A moderator deletes a message: later reads and edits get 404 10008; MESSAGE_DELETE is dispatched. */
  deleteMessage(channelId: string, messageId: string): void;
  /** Forgets every call, CDN download, fault and 429 count (state stays). */
  resetRecord(): void;

  /** Closes every socket and the server; never hangs, fails pending waits. */
  close(): Promise<void>;
}
