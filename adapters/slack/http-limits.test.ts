import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { CLOSED_BY_THE_BOUNDS, closingsOfBotEndpoint, idleAfterOneRequest, slowBody, slowHeaders } from "../../test-support/slow-clients.js";
import { SIGNING_SECRET, type SlackWorld, startSlackWorld } from "./slack-world.js";

// Slack over HTTP faces the internet: Bolt's HTTPReceiver is started with the same time bounds
// as Discord's interactions endpoint, so slow clients cannot hold its connections.

const isFinal = (call: RecordedCall) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));

describe("slow clients on Slack's events endpoint", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ mode: "http" });
  });
  afterAll(() => world.close());

  it("are closed (headers within 5 s, a dripped body within 10 s, an idle kept-alive connection within 5 s) while a signed event from 127.0.0.1 is acknowledged at once", { timeout: 30_000 }, async () => {
    const { slack, eventsUrl } = world;
    const headers = slowHeaders({ url: eventsUrl, path: "/slack/events" });
    const body = slowBody({ url: eventsUrl, path: "/slack/events" });
    const idle = idleAfterOneRequest({ url: eventsUrl, path: "/" });
    const clients = [headers, body, idle];
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
      const delivery = await slack.postSigned(eventsUrl, mention, { signingSecret: SIGNING_SECRET });
      expect(delivery.status).toBe(200);
      expect(delivery.latencyMs).toBeLessThan(1_000);
      expect(clients.map((client) => client.open())).toEqual([true, true, true]);
      await slack.waitForCall(isFinal, 20_000);

      expect(await closingsOfBotEndpoint({ headers, body, idle })).toEqual(CLOSED_BY_THE_BOUNDS);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});
