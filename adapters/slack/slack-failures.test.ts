import { describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { startSlackWorld } from "./slack-world.js";

const isFinal = (call: RecordedCall) => call.method === "chat.update" && call.ok === true && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));

describe("Slack failures", () => {
  it("retries a 429 on chat.update after its Retry-After, and the final state still arrives", async () => {
    // Our own budget set far above the fake's, so the fake's limit is what bites.
    const world = await startSlackWorld({ updates: { limit: 2, windowMs: 1_000 }, updatesPerMinute: 600, minEditIntervalMs: 50 });
    try {
      const { slack } = world;
      await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` }));
      const final = await slack.waitForCall(isFinal, 30_000);
      expect(slack.rateLimitHits).toBeGreaterThan(0);
      expect(final.status).toBe(200);
    } finally {
      await world.close();
    }
  });

  it("answers a follow-up in a council thread with the earlier question and answer as context", async () => {
    const world = await startSlackWorld();
    try {
      const { slack, council } = world;
      const first = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
      await slack.sendEvent(first);
      await slack.waitForCall(isFinal, 20_000);
      await expect.poll(() => world.councils.inFlight()).toBe(0);
      await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> And at sunset?`, threadTs: first.event.ts }));
      await expect.poll(() => council.fake.requests.some((request) => JSON.stringify(request.body ?? null).includes("And at sunset?")), { timeout: 10_000 }).toBe(true);
      const request = council.fake.requests.find((entry) => JSON.stringify(entry.body ?? null).includes("And at sunset?"));
      const messages = (request?.body as { messages: Array<{ role: string; content: string }> }).messages;
      expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
      expect(messages[1]?.content).toBe("Why is the sky blue?");
    } finally {
      await world.close();
    }
  });

  it("never crashes when the card is deleted mid-council", async () => {
    const world = await startSlackWorld();
    try {
      const { slack } = world;
      const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
      await slack.sendEvent(mention);
      const card = await slack.waitForCall((call) => call.method === "chat.postMessage" && call.args.thread_ts === mention.event.ts);
      slack.deleteMessage(mention.event.channel, (card.response as { ts: string }).ts);
      await expect.poll(() => world.councils.inFlight(), { timeout: 20_000 }).toBe(0);
      // Still up: the next mention gets its council.
      const mark = slack.calls.length;
      await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Still there?` }));
      await slack.waitForCall((call) => call.id > mark && isFinal(call), 20_000);
    } finally {
      await world.close();
    }
  });
});
