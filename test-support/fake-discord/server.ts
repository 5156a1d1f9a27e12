// Starts the fake Discord on one real socket (node:http + ws, 127.0.0.1 only): REST under
// /api/v10 and the gateway on WebSocket upgrade, and hands back the controls tests use.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buildCommandInteraction, buildComponentInteraction, buildMessageCreate } from "./builders.js";
import { createCdn } from "./cdn.js";
import { closeServer } from "../fake-kit/close-server.js";
import { createWaitList } from "../fake-kit/waits.js";
import { createCallLog } from "./call-log.js";
import { createClock } from "./clock.js";
import { createFaultScript } from "./faults.js";
import { createGateway } from "./gateway.js";
import { PRIVILEGED_INTENTS } from "./intents.js";
import { MessageFlag } from "./messages.js";
import { createRateLimiter } from "./rate-limits.js";
import { createRestHandler } from "./rest.js";
import type { Settings } from "./route-context.js";
import type { FakeDiscord, FakeDiscordOptions, FakeMessage } from "./types.js";
import { TEXT_TYPES, createWorld } from "./world.js";

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 41_250;
export const DEFAULT_ACK_DEADLINE_MS = 3_000;
export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60_000;
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const clock = createClock("fake-discord");
  const world = createWorld(options, clock);
  const waits = createWaitList("fake-discord");
  const log = createCallLog(waits);
  const faults = createFaultScript();
  const limiter = createRateLimiter(options.rateLimits);
  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}`;
  const gateway = createGateway(world, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? PRIVILEGED_INTENTS,
    url: gatewayUrl,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  const cdn = createCdn(world, clock, () => `http://127.0.0.1:${port}`);
  const settings: Settings = {
    ackDeadlineMs: options.ackDeadlineMs ?? DEFAULT_ACK_DEADLINE_MS,
    tokenLifetimeMs: options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    echoEvents: options.echoEvents ?? true,
    gatewayUrl,
    identifyCount: () => gateway.identifies.length,
    cdn,
  };
  const handle = createRestHandler({
    world,
    settings,
    log,
    limiter,
    faults,
    broadcast: (t, d) => void gateway.broadcast(t, d),
    ...(options.token === undefined ? {} : { token: options.token }),
  });

  const server = createServer((req, res) => {
    if (cdn.handle(req, res)) return;
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: `fake-discord internal error: ${String(error)}`, code: 0 }));
    });
  });
  server.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const firstGuild = world.guilds[0];
  const firstChannel = firstGuild?.channels.find((c) => TEXT_TYPES.has(c.type));
  if (!firstGuild || !firstChannel) throw new Error("fake-discord: the first guild needs a text channel");

  const visible = (m: FakeMessage | undefined) => (m && !m.deleted ? m : undefined);
  let closing: Promise<void> | undefined;

  return {
    url,
    restBase: `${url}/api`,
    gatewayUrl: gatewayUrl(),
    botUserId: world.bot.id,
    applicationId: world.applicationId,
    guildId: firstGuild.id,
    channelId: firstChannel.id,
    guilds: world.guilds,
    clock,
    advanceTime: (ms) => clock.advance(ms),

    dispatch(t, d) {
      if (t === "INTERACTION_CREATE" && typeof d === "object" && d !== null) {
        const interaction = world.interactions.get(String((d as { id?: unknown }).id));
        if (interaction && interaction.dispatchedAt === undefined) interaction.dispatchedAt = clock.now();
      }
      return gateway.dispatch(t, d);
    },
    interactionCommand: (input) => buildCommandInteraction(world, cdn, input),
    interactionComponent: (input) => buildComponentInteraction(world, input),
    messageCreate: (input) => buildMessageCreate(world, cdn, input),
    identifies: gateway.identifies,
    get heartbeats() {
      return gateway.heartbeats;
    },
    get resumes() {
      return gateway.resumes;
    },
    requestReconnect: () => gateway.requestReconnect(),
    sessions: () => gateway.sessions(),
    waitForIdentify: (timeoutMs) => gateway.waitForIdentify(timeoutMs),

    calls: log.calls,
    waitForCall: (predicate, timeoutMs) => log.waitForAnswered(predicate, timeoutMs, "matching answered call"),
    get rateLimitHits() {
      return log.rateLimitHits;
    },

    message(channelId, id) {
      const message = world.messages.get(id);
      return message && message.channel_id === channelId ? message : undefined;
    },
    messagesIn: (channelId) =>
      (world.order.get(channelId) ?? []).map((id) => visible(world.messages.get(id))).filter((m): m is FakeMessage => m !== undefined),
    threads: world.threads,
    channel: (id) => world.channels.get(id),
    commands: (guildId) => world.commands.filter((c) => c.guild_id === guildId),
    interaction: (id) => world.interactions.get(id),
    attachmentData: (id) => world.attachmentData.get(id),
    downloads: cdn.downloads,
    failNextDownload: (fault) => cdn.failNext(fault),

    failNext: (matcher, fault) => faults.add(matcher, fault),
    deleteMessage(channelId, messageId) {
      const message = world.messages.get(messageId);
      if (!message || message.channel_id !== channelId) throw new Error(`fake-discord: no message ${messageId} in channel ${channelId}`);
      if (message.deleted) return;
      message.deleted = true;
      if ((message.flags & MessageFlag.Ephemeral) === 0 && settings.echoEvents) {
        gateway.broadcast("MESSAGE_DELETE", { id: message.id, channel_id: channelId, ...(message.guild_id ? { guild_id: message.guild_id } : {}) });
      }
    },
    resetRecord() {
      log.clear();
      faults.clear();
      cdn.reset();
    },

    close() {
      closing ??= (async () => {
        gateway.close();
        await closeServer(server);
        waits.close();
      })();
      return closing;
    },
  };
}
