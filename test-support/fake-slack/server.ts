// Starts the fake Slack on one real socket (node:http + ws, 127.0.0.1 only): the Web API under
// /api/, Socket Mode WebSockets under /socket, response_urls under /response/, and hands back the
// controls tests use.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buildAppMention, buildDirectMessage, buildSlashCommand } from "./builders.js";
import { createCallLog } from "./call-log.js";
import { createClock } from "./clock.js";
import { SlackError } from "./errors.js";
import { createFaultScript, matches } from "./faults.js";
import { createFileHost } from "./file-host.js";
import { readRaw } from "./http-body.js";
import { createDeliveries } from "./http-mode.js";
import { createRateLimiter } from "./rate-limits.js";
import { createResponseUrls, deliverReply, RESPONSE_PATH } from "./response-urls.js";
import { createSocketMode } from "./socket-mode.js";
import type { FakeSlack, FakeSlackMessage, FakeSlackOptions, SlashCommandInput, SlashCommandPayload } from "./types.js";
import { closeServer } from "../fake-kit/close-server.js";
import { createWaitList } from "../fake-kit/waits.js";
import { handleUpload, UPLOAD_PATH } from "./uploads.js";
import { API_PREFIX, createWebApi } from "./web-api.js";
import { createWorld } from "./world.js";

export const DEFAULT_ACK_DEADLINE_MS = 3_000;
export const DEFAULT_RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
export const DEFAULT_RESPONSE_URL_MAX_USES = 5;

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const clock = createClock("fake-slack");
  const world = createWorld(options, clock);
  const waits = createWaitList("fake-slack");
  const log = createCallLog(waits);
  const faults = createFaultScript();
  const limiter = createRateLimiter(options.rateLimits);
  const ackDeadlineMs = options.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS;
  let port = 0;
  const httpBase = () => `http://127.0.0.1:${port}`;

  const responseUrls = createResponseUrls({
    world,
    clock,
    waits,
    lifetimeMs: options.responseUrlLifetimeMs ?? DEFAULT_RESPONSE_URL_LIFETIME_MS,
    maxUses: options.responseUrlMaxUses ?? DEFAULT_RESPONSE_URL_MAX_USES,
    baseUrl: httpBase,
  });
  const socketMode = createSocketMode({
    clock,
    waits,
    appId: world.team.appId,
    ackDeadlineMs,
    baseUrl: () => `ws://127.0.0.1:${port}`,
    onAckPayload(envelope, payload) {
      const channel = envelope.payload.channel_id;
      const user = envelope.payload.user_id;
      if (typeof channel !== "string" || typeof user !== "string") return;
      try {
        deliverReply(world, { channel, user }, payload, "ack", clock.now());
      } catch (error) {
        // Slack shows the user an error for a bad reply; the ack itself stays recorded.
        if (!(error instanceof SlackError)) throw error;
      }
    },
  });
  const webApi = createWebApi({
    world,
    clock,
    log,
    faults,
    limiter,
    openSocket: () => socketMode.openUrl(),
    baseUrl: httpBase,
    ...(options.botToken === undefined ? {} : { botToken: options.botToken }),
    ...(options.appToken === undefined ? {} : { appToken: options.appToken }),
  });
  const http = createDeliveries(clock, waits, ackDeadlineMs);
  const fileHost = createFileHost({ world, clock, baseUrl: httpBase, ...(options.botToken === undefined ? {} : { botToken: options.botToken }) });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", httpBase());
    if (fileHost.handle(req, res, url)) return;
    const work = url.pathname.startsWith(API_PREFIX)
      ? webApi(req, res, url)
      : url.pathname.startsWith(RESPONSE_PATH)
        ? readRaw(req).then((raw) => responseUrls.handle(req, res, decodeURIComponent(url.pathname.slice(RESPONSE_PATH.length)), raw))
        : url.pathname.startsWith(UPLOAD_PATH)
          ? readRaw(req).then((raw) => handleUpload(world, req, res, url.pathname, raw))
          : Promise.resolve(void res.writeHead(404, { "Content-Type": "text/plain" }).end("fake-slack: not found"));
    work.catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: `fake-slack internal error: ${String(error)}` }));
    });
  });
  server.on("upgrade", (req, socket, head) => socketMode.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = httpBase();

  const visible = (messages: FakeSlackMessage[] | undefined) => (messages ?? []).filter((m) => !m.deleted);
  const slashCommand = (input: SlashCommandInput = {}) => buildSlashCommand(world, input, (command) => responseUrls.issue(command));
  const channelOrThrow = (id: string) => {
    const channel = world.channels.get(id);
    if (!channel) throw new Error(`fake-slack: no channel ${id}`);
    return channel;
  };
  let closing: Promise<void> | undefined;

  return {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    teamId: world.team.id,
    teamDomain: world.team.domain,
    appId: world.team.appId,
    botUserId: world.bot.userId,
    botId: world.bot.botId,
    userId: world.defaults.userId,
    channelId: world.defaults.channelId,
    dmChannelId: world.defaults.dmChannelId,
    clock,
    advanceTime: (ms) => clock.advance(ms),

    calls: log.calls,
    callsTo: (method) => log.calls.filter((c) => c.method === method && c.status !== undefined),
    waitForCall: (matcher, timeoutMs) =>
      log.waitForAnswered((call) => matches(matcher, call), timeoutMs, typeof matcher === "string" ? `answered ${matcher} call` : "matching answered call"),
    get rateLimitHits() {
      return log.rateLimitHits;
    },

    messagesIn: (channel) => visible(world.messages.get(channel)),
    message: (channel, ts) => world.message(channel, ts),
    thread: (channel, threadTs) => visible(world.messages.get(channel)).filter((m) => m.ts === threadTs || m.thread_ts === threadTs),
    ephemerals: world.ephemerals,
    channel: (id) => world.channels.get(id),
    users: world.users,
    files: world.files,
    downloads: fileHost.downloads,
    failNextDownload: (fault) => fileHost.failNext(fault),

    failNext: (matcher, fault = {}) => faults.add(matcher, fault),
    deleteMessage(channel, ts) {
      const message = world.message(channel, ts);
      if (!message) throw new Error(`fake-slack: no message ${ts} in channel ${channel}`);
      message.deleted = true;
    },
    removeBotFrom: (channel) => void (channelOrThrow(channel).botIsMember = false),
    addBotTo: (channel) => void (channelOrThrow(channel).botIsMember = true),
    resetRecord() {
      log.clear();
      faults.clear();
      socketMode.clearRecord();
      http.deliveries.length = 0;
      responseUrls.posts.length = 0;
      fileHost.reset();
    },

    connections: socketMode.connections,
    openConnections: () => socketMode.openConnections(),
    waitForConnection: (timeoutMs) => socketMode.waitForConnection(timeoutMs),
    sendEvent: (payload, sendOptions = {}) =>
      socketMode.send(
        {
          type: "events_api",
          payload: payload as Record<string, unknown>,
          acceptsResponsePayload: false,
          retryAttempt: sendOptions.retryAttempt ?? 0,
          retryReason: sendOptions.retryReason ?? (sendOptions.retryAttempt ? "timeout" : ""),
        },
        sendOptions.timeoutMs,
      ),
    sendSlashCommand(command, sendOptions = {}) {
      const payload: SlashCommandPayload = "response_url" in command && typeof command.response_url === "string" ? (command as SlashCommandPayload) : slashCommand(command as SlashCommandInput);
      return socketMode.send({ type: "slash_commands", payload, acceptsResponsePayload: true }, sendOptions.timeoutMs);
    },
    envelopes: socketMode.envelopes,
    acks: socketMode.acks,
    requestDisconnect: (reason = "refresh_requested") => socketMode.requestDisconnect(reason),
    dropConnections: () => socketMode.dropConnections(),

    appMention: (input) => buildAppMention(world, fileHost.share, input),
    directMessage: (input) => buildDirectMessage(world, fileHost.share, input),
    slashCommand,

    signedRequest: (body, signOptions) => http.sign(body, signOptions),
    postSigned: (target, body, postOptions) => http.post(target, body, postOptions),
    deliveries: http.deliveries,

    responses: responseUrls.posts,
    waitForResponse: (predicate, timeoutMs) => responseUrls.waitFor(predicate, timeoutMs),

    close() {
      closing ??= (async () => {
        socketMode.close();
        await closeServer(server);
        waits.close();
      })();
      return closing;
    },
  };
}
