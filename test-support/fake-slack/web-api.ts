// One Web API request from arrival to answer: parse the arguments, record the call, find the
// method, check the token, count it against the rate limits, apply a scripted fault, run the
// handler. Answers as Slack does: HTTP 200 with { ok: true, ... } or { ok: false, error }, and
// 429 with Retry-After when rate limited. A fault `afterApplying` lets the handler run (the
// message is written) and replaces only its answer: a write whose answer Slack's edge lost.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type CallLog, outcomeOf } from "./call-log.js";
import type { FakeClock } from "./clock.js";
import { SlackError } from "./errors.js";
import { faultAnswer, type FaultScript } from "./faults.js";
import { parseArgs, readRaw } from "./http-body.js";
import type { MethodDef } from "./method-context.js";
import { CHAT_METHODS } from "./methods-chat.js";
import { CONVERSATION_METHODS } from "./methods-conversations.js";
import { FILE_METHODS } from "./methods-files.js";
import { READ_METHODS } from "./methods-read.js";
import type { RateLimiter } from "./rate-limits.js";
import type { TokenKind } from "./types.js";
import type { World } from "./world.js";

export const API_PREFIX = "/api/";

export const METHODS: Readonly<Record<string, MethodDef>> = { ...READ_METHODS, ...CHAT_METHODS, ...CONVERSATION_METHODS, ...FILE_METHODS };

export interface WebApiDeps {
  world: World;
  clock: FakeClock;
  log: CallLog;
  faults: FaultScript;
  limiter: RateLimiter;
  openSocket(): string;
  baseUrl(): string;
  botToken?: string;
  appToken?: string;
}

export function tokenKind(token: string | undefined): TokenKind {
  if (!token) return "none";
  if (token.startsWith("xoxb-")) return "bot";
  if (token.startsWith("xapp-")) return "app";
  if (token.startsWith("xoxp-")) return "user";
  return "unknown";
}

function tokenOf(req: IncomingMessage, args: Record<string, unknown>): string | undefined {
  const header = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? "");
  if (header?.[1]) return header[1];
  return typeof args.token === "string" && args.token !== "" ? args.token : undefined;
}

/** not_authed, invalid_auth, not_allowed_token_type or missing_scope, or nothing when the token may call the method. */
function authError(deps: WebApiDeps, def: MethodDef, token: string | undefined, kind: TokenKind): Record<string, unknown> | undefined {
  if (kind === "none") return { ok: false, error: "not_authed" };
  if (kind === "unknown" || kind === "user") return { ok: false, error: "invalid_auth" };
  if (kind === "bot" && deps.botToken !== undefined && token !== deps.botToken) return { ok: false, error: "invalid_auth" };
  if (kind === "app" && deps.appToken !== undefined && token !== deps.appToken) return { ok: false, error: "invalid_auth" };
  if (kind !== def.token) return { ok: false, error: "not_allowed_token_type" };
  if (def.scope !== undefined && kind === "bot" && !deps.world.scopes.has(def.scope)) {
    return { ok: false, error: "missing_scope", needed: def.scope, provided: [...deps.world.scopes].join(",") };
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

export function createWebApi(deps: WebApiDeps) {
  const { world, clock, log } = deps;

  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = decodeURIComponent(url.pathname.slice(API_PREFIX.length));
    const parsed = await parseArgs(await readRaw(req), req.headers["content-type"], url.searchParams);
    const token = tokenOf(req, parsed.args);
    const kind = tokenKind(token);
    const { token: _token, ...args } = parsed.args;
    const call = log.add({ method, httpMethod: req.method ?? "POST", args, encoding: parsed.encoding, tokenKind: kind, ...(token ? { token } : {}), at: clock.now() });

    let status = 200;
    let body: Record<string, unknown>;
    let headers: Record<string, string> = {};
    const def = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    const refused = def ? authError(deps, def, token, kind) : undefined;
    const decision = def && !refused ? deps.limiter.take(method, typeof args.channel === "string" ? args.channel : undefined, clock.now()) : undefined;
    const fault = def && !refused && !decision?.limited ? deps.faults.take(call) : undefined;
    if (!def) body = { ok: false, error: "unknown_method", req_method: method };
    else if (refused) body = refused;
    else if (decision?.limited) {
      status = 429;
      body = { ok: false, error: "ratelimited" };
      headers = { "Retry-After": String(decision.retryAfterS) };
    } else if (fault && !fault.afterApplying) {
      ({ status, body, headers } = faultAnswer(fault));
      call.fault = true;
    } else if (parsed.invalidJson) body = { ok: false, error: "invalid_json" };
    else {
      try {
        // URLs it hands out name the host the client reached it by (another container's name, say).
        const baseUrl = req.headers.host ? `http://${req.headers.host}` : deps.baseUrl();
        body = { ok: true, ...def.handle({ world, args, now: clock.now(), openSocket: deps.openSocket, baseUrl }) };
        // web-api copies these to response_metadata.scopes.
        if (kind === "bot") headers = { "X-OAuth-Scopes": [...world.scopes].join(","), "X-Accepted-OAuth-Scopes": def.scope ?? "" };
      } catch (error) {
        if (!(error instanceof SlackError)) throw error;
        body = error.body();
      }
      if (fault) {
        ({ status, body, headers } = faultAnswer(fault));
        call.fault = true;
      }
    }
    log.answer(call, status, body, headers, clock.now(), outcomeOf(body));
    send(res, status, body, headers);
  };
}
