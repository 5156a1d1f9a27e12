// What every REST handler gets, and what it answers with (or throws: DiscordHttpError).
import type { Cdn } from "./cdn.js";
import type { UploadedFile } from "./http-body.js";
import type { FakeInteraction } from "./types.js";
import type { World } from "./world.js";

export interface Settings {
  ackDeadlineMs: number;
  tokenLifetimeMs: number;
  maxUploadBytes: number;
  echoEvents: boolean;
  gatewayUrl(): string;
  identifyCount(): number;
  /** Where attachments' bytes are kept and served from. */
  cdn: Cdn;
}

export interface RouteContext {
  world: World;
  settings: Settings;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The JSON body (or payload_json) when it is an object, else {}. */
  body: Record<string, unknown>;
  /** The body as parsed, whatever it is (PUT commands sends an array). */
  rawBody: unknown;
  files: UploadedFile[];
  now: number;
  /** Queues a gateway dispatch, sent after the HTTP answer (as Discord's usually arrive). */
  echo(t: string, d: unknown): void;
  /** The interaction a webhook route's token belongs to (resolved before rate limiting). */
  interaction?: FakeInteraction;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export type Handler = (ctx: RouteContext) => RouteResult | Promise<RouteResult>;

export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
export const noContent = (): RouteResult => ({ status: 204 });
