import { describe, expect, it } from "vitest";
import { createBotMetrics } from "../../src/metrics/bot-metrics.js";
import { startSlackWorld } from "./slack-world.js";

// Posts go through their own WebClient (slack-clients.ts), which must count its 429s as
// app.client does (council_platform_rate_limited_total).

describe("a post Slack rate-limits", () => {
  it("is counted like an update's 429", async () => {
    const metrics = createBotMetrics();
    const world = await startSlackWorld({ metrics: metrics.platforms });
    try {
      const { slack } = world;
      slack.failNext((call) => call.method === "chat.postMessage" && String(call.args.text).includes("Alpha's answer"), { status: 429, retryAfterS: 1 });
      await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` }));
      await slack.waitForCall((call) => call.method === "chat.postMessage" && call.status === 429, 20_000);
      await world.councils.drain(20_000);
      const values = (await metrics.registry.getSingleMetric("council_platform_rate_limited_total")?.get())?.values ?? [];
      expect(values.map((value) => [value.labels.platform, value.value])).toEqual([["slack", 1]]);
    } finally {
      await world.close();
    }
  });
});
