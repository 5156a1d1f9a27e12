import { generateKeyPairSync } from "node:crypto";
import { REST } from "discord.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecentErrors } from "../../src/recent-errors.js";
import { createInteractionSender } from "../../test-support/fake-discord/http-interactions.js";
import { CLOSED_BY_THE_BOUNDS, closingsOfBotEndpoint, idleAfterOneRequest, slowBody, slowHeaders } from "../../test-support/slow-clients.js";
import type { CouncilService } from "../../src/council-service.js";
import { createEventDedupe } from "../shared/event-dedupe.js";
import { createAccessRules } from "./access.js";
import { createChannelLimiters } from "./channel-limiters.js";
import { HEALTH_COMMAND } from "./commands.js";
import { createDiscordApi } from "./discord-api.js";
import { createDiscordHandlers } from "./handlers.js";
import { buildInteractionsServer } from "./http-receiver.js";

// Only its signing is used here: nothing is delivered, so its REST base is never called.
const sender = createInteractionSender({ restBase: "http://127.0.0.1:1/api" });
const logger = pino({ level: "silent" });

const handlers = createDiscordHandlers({
  presets: { names: [], defaultName: "x", get: () => { throw new Error("no presets"); } },
  councils: { inFlight: () => 0, waiting: () => 0, hasThread: () => false } as unknown as CouncilService,
  api: createDiscordApi(new REST({ api: "http://127.0.0.1:1/api" }), "1"),
  access: createAccessRules({}),
  health: { report: async () => ({ servers: [], bot: { error: "none" } }) },
  insights: { prepare: () => ({ kind: "refused", message: "no statistics here" }) },
  errors: createRecentErrors(),
  logger,
  botUserId: () => undefined,
  attachOverChars: 6000,
  minEditIntervalMs: 0,
  channels: createChannelLimiters(1000),
  timeline: false,
  files: async () => ({ ready: false, message: "no files here" }),
});
const app = buildInteractionsServer(handlers, { publicKeyHex: sender.publicKeyHex, logger, dedupe: createEventDedupe() });
afterAll(() => app.close());

/** A signed interaction as a request to inject. */
function signed<Interaction extends { id: string; token: string }>(body: Interaction, options: Parameters<typeof sender.sign>[1] = {}) {
  const interaction = sender.sign(body, options);
  return { method: "POST" as const, url: "/interactions", payload: interaction.body, headers: interaction.headers };
}

const healthFromNonAdmin = {
  id: "1300000000000000000",
  application_id: "1",
  type: 2,
  token: "interaction-token",
  version: 1,
  guild_id: "10",
  channel: { id: "20", type: 0 },
  member: { user: { id: "30", username: "someone" }, roles: [], permissions: "0" },
  data: { id: "40", name: HEALTH_COMMAND, type: 1 },
};

describe("HTTP interactions", () => {
  it("answers PING with PONG", async () => {
    const response = await app.inject(signed({ id: "1", application_id: "1", type: 1, token: "t", version: 1 }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ type: 1 });
  });

  it("runs a valid command through the same handler as the gateway: a non-admin's /council-health is refused, privately", async () => {
    const response = await app.inject(signed(healthFromNonAdmin));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      type: 4,
      data: { content: "/council-health is for the council's admins.", flags: 64, allowed_mentions: { parse: [] } },
    });
  });

  it("answers a PING posted again with PONG again (only interactions that start something are deduplicated), and a signed body without an id with 400", async () => {
    const ping = signed({ id: "3", application_id: "1", type: 1, token: "t", version: 1 });
    expect([(await app.inject(ping)).json(), (await app.inject(ping)).json()]).toEqual([{ type: 1 }, { type: 1 }]);
    const anonymous = await app.inject(signed({ application_id: "1", type: 2, token: "t", version: 1 } as unknown as { id: string; token: string }));
    expect({ status: anonymous.statusCode, body: anonymous.json() }).toEqual({ status: 400, body: { error: "the interaction has no id" } });
  });

  it("refuses a bad signature, a signature by another key, and a stale timestamp with 401", async () => {
    const other = generateKeyPairSync("ed25519").privateKey;
    const tampered = signed(healthFromNonAdmin);
    tampered.payload = tampered.payload.replace("someone", "admin");
    for (const request of [
      tampered,
      signed(healthFromNonAdmin, { key: other }),
      signed(healthFromNonAdmin, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
      { ...signed(healthFromNonAdmin), headers: { "content-type": "application/json" } },
    ]) {
      const response = await app.inject(request);
      expect(response.statusCode).toBe(401);
    }
  });
});

describe("slow clients on the interactions endpoint", () => {
  let url: string;
  beforeAll(async () => {
    url = await app.listen({ host: "127.0.0.1", port: 0 });
  });

  it("are closed (headers within 5 s, a dripped body within 10 s, an idle kept-alive connection within 5 s) while a signed request from 127.0.0.1 is answered at once", { timeout: 30_000 }, async () => {
    const headers = slowHeaders({ url, path: "/interactions" });
    const body = slowBody({ url, path: "/interactions" });
    const idle = idleAfterOneRequest({ url, path: "/" });
    const clients = [headers, body, idle];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const ping = signed({ id: "2", application_id: "1", type: 1, token: "t", version: 1 });
      const startedAt = performance.now();
      const response = await fetch(`${url}/interactions`, { method: "POST", headers: ping.headers, body: ping.payload });
      const tookMs = performance.now() - startedAt;
      expect(await response.json()).toEqual({ type: 1 });
      expect(tookMs).toBeLessThan(1_000);
      expect(clients.map((client) => client.open())).toEqual([true, true, true]);

      expect(await closingsOfBotEndpoint({ headers, body, idle })).toEqual(CLOSED_BY_THE_BOUNDS);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});
