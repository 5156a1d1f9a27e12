import { describe, expect, it } from "vitest";
import { createBotMetrics } from "../../src/metrics/bot-metrics.js";
import { cardDescription, isFinalCard, startDiscordWorld } from "../discord/discord-world.js";
import { startSlackWorld } from "../slack/slack-world.js";

// council_platform_rate_limited_total: the real bots against the fakes, which answer 429 where
// a test says; every 429 the fake sent is one count, on the platform's label only.

async function rateLimited(metrics: ReturnType<typeof createBotMetrics>) {
  const values = (await metrics.registry.getSingleMetric("council_platform_rate_limited_total")?.get())?.values ?? [];
  return Object.fromEntries(values.map((value) => [String(value.labels.platform), value.value]));
}

describe("platform rate-limit hits", () => {
  it("counts Discord's 429s, which discord.js waits out without telling the adapter", async () => {
    const metrics = createBotMetrics();
    const world = await startDiscordWorld({ metrics: metrics.platforms });
    try {
      const { discord } = world;
      discord.failNext((call) => call.route === "editOriginal" && cardDescription(call).startsWith("**Stage"), { status: 429, retryAfterMs: 300, times: 2 });
      await world.ask("Why is the sky blue?", { preset: "pair" });
      await discord.waitForCall((call) => isFinalCard(call) && call.status === 200, 20_000);
      expect(discord.rateLimitHits).toBeGreaterThanOrEqual(2);
      expect(await rateLimited(metrics)).toEqual({ discord: discord.rateLimitHits });
    } finally {
      await world.close();
    }
  });

  it("counts Slack's 429s, which the card's live message backs off from", async () => {
    const metrics = createBotMetrics();
    const world = await startSlackWorld({ metrics: metrics.platforms });
    try {
      const { slack } = world;
      slack.failNext("chat.update", { status: 429, retryAfterS: 1 });
      await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` }));
      await slack.waitForCall((call) => call.method === "chat.update" && call.ok === true && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? "")), 20_000);
      expect(slack.rateLimitHits).toBe(1);
      expect(await rateLimited(metrics)).toEqual({ slack: 1 });
    } finally {
      await world.close();
    }
  });
});
