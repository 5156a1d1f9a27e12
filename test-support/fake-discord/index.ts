// The fake Discord shared by the Discord adapter's tests: a real HTTP + WebSocket server on
// 127.0.0.1 that the real discord.js Client logs in to (REST under /api/v10, the JSON gateway),
// with Discord's limits, errors, rate limits and token lifetimes, and a record of every call.
export {
  startFakeDiscord,
  DEFAULT_ACK_DEADLINE_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_TOKEN_LIFETIME_MS,
} from "./server.js";
export type {
  CallMatcher,
  CommandInteractionInput,
  ComponentInteractionInput,
  FakeAttachment,
  FakeChannel,
  FakeChannelSpec,
  FakeCommand,
  FakeDiscord,
  FakeDiscordOptions,
  FakeFault,
  FakeGuild,
  FakeGuildSpec,
  FakeInteraction,
  FakeInteractionPayload,
  FakeMessage,
  FakeOverwrite,
  FakeRateLimits,
  FakeRole,
  FakeRoleSpec,
  FakeUser,
  IdentifyRecord,
  MessageCreateInput,
  MessageCreatePayload,
  RecordedCall,
  RecordedFile,
  RouteName,
} from "./types.js";
export type { FakeClock } from "./clock.js";
export { CDN_LINK_LIFETIME_MS, type AttachmentInput } from "./cdn.js";
export type { DownloadFault, RecordedDownload } from "../fake-kit/file-downloads.js";
export { ErrorCode, type DiscordErrorBody } from "./errors.js";
export { Intent, PRIVILEGED_INTENTS } from "./intents.js";
export { MessageFlag } from "./messages.js";
export { Permission, DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from "./permissions.js";
export { DEFAULT_EDIT_LIMIT, DEFAULT_ROUTE_LIMIT } from "./rate-limits.js";
export { LIMITS, embedChars } from "./validation.js";
export { snowflakeTime } from "./snowflake.js";
