// The vocabulary of the fake Slack: what a test configures, what the fake stores (in Slack's own
// JSON shapes, snake_case, so a test compares against what Bolt sent and received), and what it
// records about every Web API call, Socket Mode envelope, signed HTTP request and response_url post.
import type { FakeClock } from "./clock.js";
import type { SharedFileInput } from "./file-host.js";
import type { DownloadFault, RecordedDownload } from "../fake-kit/file-downloads.js";

export interface FakeSlackOptions {
  /** Default "T0TEAM001", "Council Test", "council-test". */
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  /** Default "A0APP0001". */
  appId?: string;
  /** The bot user. Default "U0BOT0001" named "council", bot id "B0BOT0001". */
  botUserId?: string;
  botId?: string;
  botName?: string;
  /** When set, only this bot token is accepted (others: invalid_auth). Default: any `xoxb-` token. */
  botToken?: string;
  /** When set, only this app-level token is accepted. Default: any `xapp-` token. */
  appToken?: string;
  /**
   * Default: public #general (C0GENERAL) and #council (C0COUNCIL) with the bot in both, and a DM
   * (D0USER001) between the bot and the test user.
   */
  channels?: FakeChannelSpec[];
  /** Users besides the bot. Default: one, "tester" (U0USER001). */
  users?: FakeUserSpec[];
  rateLimits?: FakeRateLimits;
  /** Slack's 3 s: an ack (Socket Mode) or HTTP answer later than this is recorded as `late`. */
  ackDeadlineMs?: number;
  /** A response_url's life: 30 minutes. */
  responseUrlLifetimeMs?: number;
  /** A response_url's uses: 5. */
  responseUrlMaxUses?: number;
  /**
   * The bot token's scopes (default: every scope of config/slack-manifest.json). A method that
   * needs one missing answers missing_scope, as before an app is reinstalled with a new scope.
   */
  scopes?: readonly string[];
}

export interface FakeChannelSpec {
  id?: string;
  name: string;
  /** A private channel: when the bot is not in it, it does not exist for the bot (channel_not_found). */
  private?: boolean;
  /** A DM between the bot and `user`. */
  im?: boolean;
  user?: string;
  /** Default true. A public channel without the bot: not_in_channel. */
  botIsMember?: boolean;
  archived?: boolean;
}

export interface FakeUserSpec {
  id?: string;
  name: string;
  realName?: string;
  isBot?: boolean;
  isAdmin?: boolean;
}

/** A user in users.info's shape. */
export interface FakeSlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  is_admin: boolean;
  is_app_user: boolean;
  tz: string;
  profile: { real_name: string; display_name: string; bot_id?: string };
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  isIm: boolean;
  isPrivate: boolean;
  /** Change it (or use removeBotFrom / addBotTo) to script a channel the bot is not in. */
  botIsMember: boolean;
  archived: boolean;
  /** The other side of a DM. */
  user?: string;
  created: number;
}

/**
 * A stored message in Slack's message JSON plus fake-only fields (never sent to a client):
 * `channel`, `options` (unfurl_links, unfurl_media, link_names, parse, mrkdwn, reply_broadcast as
 * last sent), `update_count`, `deleted` and `source`.
 */
export interface FakeSlackMessage {
  type: "message";
  subtype?: string;
  ts: string;
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: Record<string, unknown>[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  /** A message that shares files (files.completeUploadExternal): the files, in Slack's file JSON. */
  files?: Record<string, unknown>[];
  upload?: boolean;
  // Fake-only.
  channel: string;
  options: Record<string, unknown>;
  update_count: number;
  deleted: boolean;
  /** "api": chat.postMessage; "user": a builder's user message; "response_url"/"ack": a slash command's in_channel reply. */
  source: "api" | "user" | "response_url" | "ack";
}

/** A file of the external upload flow: announced, uploaded to its URL, then completed (shared or kept private). */
export interface FakeSlackFile {
  /** "F0..." */
  id: string;
  /** files.getUploadURLExternal's filename, length and alt text. */
  name: string;
  length: number;
  altText?: string;
  uploadUrl: string;
  /** The bytes posted to the upload URL, once they were. */
  data?: Uint8Array;
  /** Set by files.completeUploadExternal (which may be called once). */
  completed: boolean;
  title?: string;
  /** Where completion shared it: the messages that show it. Empty for a private file. */
  shares: { channel: string; ts: string; threadTs?: string }[];
}

/** An ephemeral message: seen by one user, never in history. */
export interface FakeEphemeral {
  message_ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Record<string, unknown>[];
  thread_ts?: string;
  at: number;
  source: "api" | "response_url" | "ack";
}

export type TokenKind = "bot" | "app" | "user" | "none" | "unknown";

/** A Web API call, recorded on arrival and completed when answered. */
export interface RecordedCall {
  /** 1, 2, 3... in arrival order. */
  id: number;
  /** The Web API method, e.g. "chat.update". */
  method: string;
  /** POST (what web-api sends) or GET. */
  httpMethod: string;
  /** The arguments as Slack parses them: form fields or JSON, query merged; JSON-valued fields (blocks, attachments, metadata) parsed; `token` left out. */
  args: Readonly<Record<string, unknown>>;
  encoding: "form" | "json" | "multipart" | "none";
  tokenKind: TokenKind;
  token?: string;
  /** Fake clock, ms. */
  at: number;
  /** Set once answered: 200 (also for ok:false), 429, or a scripted status. */
  status?: number;
  response?: Record<string, unknown>;
  /** Copied from the response for easy predicates. */
  ok?: boolean;
  error?: string;
  responseHeaders?: Readonly<Record<string, string>>;
  answeredAt?: number;
  /** A scripted failNext fault answered it (after applying it, with `afterApplying`). */
  fault?: boolean;
}

export interface FakeRateLimit {
  limit: number;
  windowMs: number;
  /** Slack's tiers count per method and workspace; chat.postMessage's ~1/s is per channel. */
  per: "workspace" | "channel";
}

/** By method name: a limit (merged over the default for that method), or false for none. */
export type FakeRateLimits = Record<string, Partial<FakeRateLimit> | false>;

export type CallMatcher = string | ((call: RecordedCall) => boolean);

export interface FakeFault {
  /** The Slack error code. Default "internal_error", "ratelimited" for status 429. */
  error?: string;
  /** HTTP status. Default 200 (Slack's status for ok:false). 429 sends Retry-After. */
  status?: number;
  /** For status 429: Retry-After in seconds. Default 1. */
  retryAfterS?: number;
  /** How many matching calls fail. Default 1. */
  times?: number;
  /**
   * 5xx only: the call is applied first (the message written, the file shared), then answered
   * with the fault, as when Slack made the write and its edge lost the answer. A client that
   * retries it makes a second copy.
   */
  afterApplying?: boolean;
}

export interface SocketConnection {
  /** 1, 2, 3... */
  id: number;
  ticket: string;
  openedAt: number;
  helloAt?: number;
  closedAt?: number;
  closeCode?: number;
  /** WebSocket pings from the client (SlackWebSocket pings every 5 s). */
  pings: number;
}

export type EnvelopeType = "events_api" | "slash_commands" | "interactive";

export interface AckRecord {
  envelopeId: string;
  connectionId: number;
  at: number;
  /** The `payload` of the ack (Bolt always sends one, `{}` when ack() had no argument). */
  payload?: Record<string, unknown>;
  /** Undefined for an ack of an envelope the fake never sent. */
  latencyMs?: number;
  /** Later than ackDeadlineMs: Slack would retry it. */
  late: boolean;
  /** A second ack of the same envelope. */
  duplicate: boolean;
}

export interface Envelope {
  envelopeId: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  retryAttempt?: number;
  retryReason?: string;
  acceptsResponsePayload: boolean;
  connectionId: number;
  sentAt: number;
  /** The first ack. */
  ack?: AckRecord;
}

export interface SendOptions {
  /** 0 (default) for a first delivery; 1..3 for Slack's retries of the same payload. */
  retryAttempt?: number;
  /** "" on a first delivery; "timeout" (default for retries), "http_error", "http_timeout"... */
  retryReason?: string;
  /** How long to wait for the ack. Default 5000. */
  timeoutMs?: number;
}

export interface AppMentionInput {
  /** Default: #general. */
  channel?: string;
  /** Default: the test user. */
  user?: string;
  /** What the user typed; `<@bot>` is put in front when it does not mention the bot (an app_mention always does). */
  text: string;
  /** Default: a fresh ts. */
  ts?: string;
  threadTs?: string;
  eventId?: string;
  /** Files shared with the mention: kept on the fake's file host, in the event's `files`. */
  files?: SharedFileInput[];
}

export interface DirectMessageInput {
  /** Default: the test user. */
  user?: string;
  /** Default: that user's DM with the bot. */
  channel?: string;
  text: string;
  ts?: string;
  threadTs?: string;
  eventId?: string;
  /** Files shared with the message: it becomes a file_share message, with `files`. */
  files?: SharedFileInput[];
}

/** An Events API payload as Slack sends it (HTTP body, or a Socket Mode envelope's payload). */
export interface EventCallback {
  token: string;
  team_id: string;
  context_team_id: string;
  context_enterprise_id: null;
  api_app_id: string;
  event: Record<string, unknown> & { type: string; user: string; channel: string; text: string; ts: string; thread_ts?: string; event_ts: string; files?: Record<string, unknown>[] };
  type: "event_callback";
  event_id: string;
  event_time: number;
  authorizations: { enterprise_id: null; team_id: string; user_id: string; is_bot: boolean; is_enterprise_install: boolean }[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

export interface SlashCommandInput {
  /** Default "/council". */
  command?: string;
  text?: string;
  /** Default: the test user. */
  userId?: string;
  /** Default: #general. */
  channelId?: string;
}

/** A slash command payload: every field a string, as Slack form-encodes it. */
export interface SlashCommandPayload {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
  [field: string]: string;
}

/** One POST to a response_url, accepted or refused. */
export interface ResponseUrlPost {
  /** The response_url's id (its last path segment). */
  id: string;
  at: number;
  body: unknown;
  responseType: "ephemeral" | "in_channel";
  /** 200, or 404 with `error` ("expired_url", "used_url", "not_found"), 400 "no_text"/"invalid_json". */
  status: number;
  error?: string;
  /** The command it answers (undefined for an unknown id). */
  command?: { command: string; channel: string; user: string; issuedAt: number };
}

/** A body to sign: a raw string, form fields (URLSearchParams), or an object (JSON, or form fields with contentType "form"). */
export type SignableBody = string | URLSearchParams | object;

export interface SignOptions {
  signingSecret: string;
  /** Unix seconds. Default: now (the fake's clock for fake.signedRequest/postSigned). */
  timestamp?: number;
  /** How an object body is encoded. Default "json"; URLSearchParams bodies are always "form". */
  contentType?: "json" | "form";
}

export interface SignedRequest {
  /** The raw body that was signed: send exactly this. */
  body: string;
  /** Content-Type, X-Slack-Request-Timestamp, X-Slack-Signature. */
  headers: Record<string, string>;
}

export interface PostSignedOptions extends SignOptions {
  /** X-Slack-Retry-Num / X-Slack-Retry-Reason, as on Slack's retries. */
  retryNum?: number;
  retryReason?: string;
  /** Replaces the computed X-Slack-Signature (a forged request). */
  signature?: string;
  /** Extra headers, sent last. */
  headers?: Record<string, string>;
  /** Default 10000. */
  timeoutMs?: number;
}

/** A signed request posted to the app (HTTP mode) and its answer. */
export interface HttpDelivery {
  id: number;
  url: string;
  body: string;
  headers: Readonly<Record<string, string>>;
  sentAt: number;
  answeredAt: number;
  latencyMs: number;
  status: number;
  responseText: string;
  /** The answer parsed as JSON, when it is. */
  responseJson?: unknown;
  /** Later than ackDeadlineMs: Slack would retry it. */
  late: boolean;
}

export interface FakeSlack {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** `${url}/api/`: give it to Bolt as `clientOptions: { slackApiUrl: fake.apiUrl }`. */
  readonly apiUrl: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  /** The test user, #general, and the test user's DM with the bot. */
  readonly userId: string;
  readonly channelId: string;
  readonly dmChannelId: string;
  readonly clock: FakeClock;
  /** Shorthand for clock.advance(ms). */
  advanceTime(ms: number): void;

  // Web API.
  readonly calls: readonly RecordedCall[];
  /** Answered calls to one method. */
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first answered call matching (a method name or a predicate). */
  waitForCall(matcher: CallMatcher, timeoutMs?: number): Promise<RecordedCall>;
  /** 429s answered (rate limits and scripted 429s). */
  readonly rateLimitHits: number;

  // State.
  /** Messages in a channel, oldest first, deleted ones left out; thread replies included (see thread()). */
  messagesIn(channel: string): FakeSlackMessage[];
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /** A thread: the parent (when known) and its replies, oldest first, deleted ones left out. */
  thread(channel: string, threadTs: string): FakeSlackMessage[];
  readonly ephemerals: readonly FakeEphemeral[];
  channel(id: string): FakeSlackChannel | undefined;
  readonly users: readonly FakeSlackUser[];
  /** Every file of the external upload flow, in the order their URLs were handed out. */
  readonly files: readonly FakeSlackFile[];
  /** Every request to the file host (url_private, url_private_download, the sign-in page): path, Authorization, status, bytes written, completed. */
  readonly downloads: readonly RecordedDownload[];

  // Scripting.
  /** The next download of a file misbehaves: a status, a chunked body, a lying Content-Length, a body that stalls. */
  failNextDownload(fault: DownloadFault): void;
  /** The next `times` calls matching fail as scripted; checked after the token and rate limits, changes nothing (with `afterApplying`: applied, then the answer lost). */
  failNext(matcher: CallMatcher, fault?: FakeFault): void;
  /** Deletes a message as a user would: later chat.update/chat.delete get message_not_found. */
  deleteMessage(channel: string, ts: string): void;
  /** The bot leaves: public channel -> not_in_channel, private -> channel_not_found. */
  removeBotFrom(channel: string): void;
  addBotTo(channel: string): void;
  /** Forgets the record (calls, envelopes, acks, deliveries, response_url posts, downloads) and pending faults. */
  resetRecord(): void;

  // Socket Mode.
  readonly connections: readonly SocketConnection[];
  /** Open connections that got their hello. */
  openConnections(): number;
  /** Resolves with the first open connection that got its hello (app.start() resolves on hello). */
  waitForConnection(timeoutMs?: number): Promise<SocketConnection>;
  /** Sends an events_api envelope on the newest connection; resolves with it once acked. */
  sendEvent(payload: EventCallback | Record<string, unknown>, options?: SendOptions): Promise<Envelope>;
  /** Sends a slash_commands envelope (built from the input, or the payload as given); resolves once acked. */
  sendSlashCommand(command: SlashCommandInput | SlashCommandPayload, options?: Pick<SendOptions, "timeoutMs">): Promise<Envelope>;
  readonly envelopes: readonly Envelope[];
  /** Every ack received, duplicates and unknown envelope ids included. */
  readonly acks: readonly AckRecord[];
  /** Sends `{type: "disconnect", reason}` to every connection: the SDK closes and reconnects. */
  requestDisconnect(reason?: "warning" | "refresh_requested" | "too_many_websockets" | "link_disabled"): void;
  /** Cuts every connection without a close frame. */
  dropConnections(): void;

  // Builders.
  /** An app_mention event_callback; stores the user's message in the channel. */
  appMention(input: AppMentionInput): EventCallback;
  /** A message.im event_callback (channel_type "im"); stores the user's message in the DM. */
  directMessage(input: DirectMessageInput): EventCallback;
  /** A slash command payload with a fresh response_url. */
  slashCommand(input?: SlashCommandInput): SlashCommandPayload;

  // HTTP mode.
  /** Signs a body (timestamp from the fake's clock by default). */
  signedRequest(body: SignableBody, options: SignOptions): SignedRequest;
  /** POSTs a signed body to the app (e.g. Bolt's `${appUrl}/slack/events`) and records the answer and its latency. */
  postSigned(url: string, body: SignableBody, options: PostSignedOptions): Promise<HttpDelivery>;
  readonly deliveries: readonly HttpDelivery[];

  // response_url.
  readonly responses: readonly ResponseUrlPost[];
  waitForResponse(predicate?: (post: ResponseUrlPost) => boolean, timeoutMs?: number): Promise<ResponseUrlPost>;

  /** Stops everything; never hangs; pending waits fail. Stop the Bolt app first (a Socket Mode client whose server vanishes reconnects). */
  close(): Promise<void>;
}
