// One REST request from arrival to answer: record it, route it, check the token, count it
// against the rate limits, apply a scripted fault, run the handler, answer with Discord's
// headers and bodies, then send the gateway events the write causes. A fault scripted
// `afterApplying` lets the handler run and its events go out, and replaces only the answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallLog } from "./call-log.js";
import { apiError, DiscordHttpError, ErrorCode, errorText } from "./errors.js";
import type { FaultScript } from "./faults.js";
import { parseBody, readRaw } from "./http-body.js";
import type { RateLimiter } from "./rate-limits.js";
import type { RouteContext, Settings } from "./route-context.js";
import { decodePath, findRoute, majorParameter, type RouteDef } from "./router.js";
import { webhookInteraction } from "./routes-interactions.js";
import type { FakeFault, FakeInteraction, RecordedCall } from "./types.js";
import type { World } from "./world.js";

export const API_PREFIX = "/api/v10";

export interface RestDeps {
  world: World;
  settings: Settings;
  log: CallLog;
  limiter: RateLimiter;
  faults: FaultScript;
  /** Broadcasts a gateway event (no error when nobody is connected). */
  broadcast(t: string, d: unknown): void;
  /** The bot token REST accepts, when the test fixed one. */
  token?: string;
}

function authKind(header: string | undefined): RecordedCall["auth"] {
  if (!header) return "none";
  if (/^Bot\s/i.test(header)) return "Bot";
  if (/^Bearer\s/i.test(header)) return "Bearer";
  return "none";
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const out = { ...headers };
  if (status === 204 || body === undefined) {
    res.writeHead(status, out).end();
    return;
  }
  out["Content-Type"] = "application/json";
  res.writeHead(status, out).end(JSON.stringify(body));
}

function faultAnswer(fault: FakeFault): { status: number; body: unknown; headers: Record<string, string> } {
  const code = fault.code ?? 0;
  const message = fault.message ?? errorText(code, fault.status);
  if (fault.status === 429) {
    const retryMs = fault.retryAfterMs ?? 1000;
    return {
      status: 429,
      body: { message: fault.message ?? "The resource is being rate limited.", retry_after: retryMs / 1000, global: false, ...(fault.code === undefined ? {} : { code }) },
      headers: { "Retry-After": String(Math.ceil(retryMs / 1000)), "X-RateLimit-Scope": "shared" },
    };
  }
  return { status: fault.status, body: { message, code }, headers: {} };
}

export function createRestHandler(deps: RestDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { world, settings, log, limiter, faults } = deps;

  return async function handle(req, res) {
    const url = new URL(req.url ?? "/", "http://fake-discord");
    const method = (req.method ?? "GET").toUpperCase();
    const versioned = url.pathname.startsWith(`${API_PREFIX}/`) || url.pathname === API_PREFIX;
    const path = decodePath(versioned ? url.pathname.slice(API_PREFIX.length) || "/" : url.pathname);
    const match = versioned ? findRoute(method, path) : { kind: "none" as const };
    const route: RouteDef | undefined = match.kind === "found" ? match.route : undefined;
    const params = match.kind === "found" ? match.params : {};
    const raw = await readRaw(req);
    const parsed = await parseBody(raw, req.headers["content-type"]).catch(() => ({ body: raw.toString("utf8"), files: [], error: apiError(400, ErrorCode.InvalidJson) }));
    const reason = req.headers["x-audit-log-reason"];
    const now = world.clock.now();
    const call = log.add({
      method,
      path,
      ...(route ? { route: route.name } : {}),
      params,
      query: Object.fromEntries(url.searchParams),
      auth: authKind(req.headers.authorization),
      body: parsed.body,
      files: parsed.files.map(({ data: _data, ...file }) => file),
      ...(typeof reason === "string" ? { reason: decodeURIComponent(reason) } : {}),
      at: now,
    });
    const events: { t: string; d: unknown }[] = [];
    const bucketKey = { route: `${method} ${route?.bucket ?? route?.pattern ?? "unrouted"}`, major: majorParameter(params) };
    let headers: Record<string, string> = {};
    /** A fault whose call is applied first: whatever the handler answers is lost to it. */
    let lostAnswer: FakeFault | undefined;

    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const all = { ...headers, ...extra };
      send(res, status, body, all);
      log.answer(call, status, body, all, world.clock.now());
      for (const event of events) deps.broadcast(event.t, event.d);
    };
    const answerFault = (fault: FakeFault) => {
      const out = faultAnswer(fault);
      answer(out.status, out.body, out.headers);
    };

    try {
      if (match.kind === "none") {
        headers = limiter.peek(bucketKey, now);
        return answer(404, { message: "404: Not Found", code: 0 });
      }
      if (match.kind === "wrong-method") {
        headers = limiter.peek(bucketKey, now);
        return answer(405, { message: "405: Method Not Allowed", code: 0 }, { Allow: match.allowed.join(", ") });
      }
      const found = match.route;
      if (found.botAuth) {
        const header = req.headers.authorization ?? "";
        const token = header.replace(/^Bot\s+/i, "");
        if (authKind(header) !== "Bot" || token === "" || (deps.token !== undefined && token !== deps.token)) {
          headers = limiter.peek(bucketKey, now);
          return answer(401, { message: "401: Unauthorized", code: 0 });
        }
      }
      // Webhook routes find their interaction first: an edit counts against its channel.
      let interaction: FakeInteraction | undefined;
      let early: DiscordHttpError | undefined;
      if (params.webhookToken !== undefined) {
        try {
          interaction = webhookInteraction({ world, params, settings, now });
        } catch (error) {
          if (!(error instanceof DiscordHttpError)) throw error;
          early = error;
        }
      }
      const editChannel = found.edit ? (params.channelId ?? interaction?.channelId) : undefined;
      const decision = limiter.take({ ...bucketKey, ...(editChannel === undefined ? {} : { editChannel }) }, now);
      headers = decision.headers;
      if (decision.limited) return answer(429, decision.body);
      const fault = faults.take(call);
      if (fault) {
        log.update(call, { fault: true });
        if (!fault.afterApplying) return answerFault(fault);
        lostAnswer = fault;
      }
      if (parsed.error) throw parsed.error;
      if (early) throw early;
      const body = typeof parsed.body === "object" && parsed.body !== null && !Array.isArray(parsed.body) ? (parsed.body as Record<string, unknown>) : {};
      const ctx: RouteContext = {
        world,
        settings,
        params,
        query: url.searchParams,
        body,
        rawBody: parsed.body,
        files: parsed.files,
        now,
        echo: (t, d) => {
          if (settings.echoEvents) events.push({ t, d });
        },
        ...(interaction ? { interaction } : {}),
      };
      const result = await found.handler(ctx);
      if (lostAnswer) return answerFault(lostAnswer);
      return answer(result.status, result.body);
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        events.length = 0;
        if (lostAnswer) return answerFault(lostAnswer);
        return answer(error.status, error.body);
      }
      // A bug in the fake must show up in the test that hit it, not vanish or hang.
      events.length = 0;
      const message = `fake-discord internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      return answer(500, { message, code: 0 });
    }
  };
}
