// The fake Slack shared by the Slack adapter's tests: a real HTTP + WebSocket server on 127.0.0.1
// that the real Bolt App talks to (Web API under /api/, Socket Mode, response_urls), with Slack's
// limits, errors, rate limits and signing, a record of every call, envelope, ack and request, and
// helpers to sign and post requests into Bolt's HTTPReceiver.
export { startFakeSlack, DEFAULT_ACK_DEADLINE_MS, DEFAULT_RESPONSE_URL_LIFETIME_MS, DEFAULT_RESPONSE_URL_MAX_USES } from "./server.js";
export type {
  AckRecord,
  AppMentionInput,
  CallMatcher,
  DirectMessageInput,
  Envelope,
  EnvelopeType,
  EventCallback,
  FakeChannelSpec,
  FakeEphemeral,
  FakeFault,
  FakeRateLimit,
  FakeRateLimits,
  FakeSlack,
  FakeSlackChannel,
  FakeSlackFile,
  FakeSlackMessage,
  FakeSlackOptions,
  FakeSlackUser,
  FakeUserSpec,
  HttpDelivery,
  PostSignedOptions,
  RecordedCall,
  ResponseUrlPost,
  SendOptions,
  SignableBody,
  SignedRequest,
  SignOptions,
  SlashCommandInput,
  SlashCommandPayload,
  SocketConnection,
  TokenKind,
} from "./types.js";
export type { FakeClock } from "./clock.js";
export { DEFAULT_RATE_LIMITS } from "./rate-limits.js";
export { LIMITS } from "./validation.js";
export { signedRequest, slackSignature } from "./signing.js";
export { METHODS } from "./web-api.js";
export { MANIFEST_SCOPES } from "./world.js";
export { VERIFICATION_TOKEN } from "./builders.js";
export { FILES_READ_SCOPE, type SharedFileInput } from "./file-host.js";
export type { DownloadFault, RecordedDownload } from "../fake-kit/file-downloads.js";
