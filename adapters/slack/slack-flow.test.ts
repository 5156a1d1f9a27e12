import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { BROKEN_MODEL_ERROR } from "../../test-support/test-council.js";
import { SIGNING_SECRET, type SlackWorld, startSlackWorld } from "./slack-world.js";

// The real Bolt App (Socket Mode, then HTTP) against the fake Slack, asking the real core
// through the worker and the fake Ollama. "trio" has one member whose model answers 500.

const textOf = (call: RecordedCall) => JSON.stringify(call.args.blocks ?? call.args.text ?? "");
const isFinal = (call: RecordedCall) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));
const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);

describe("Slack in Socket Mode", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld();
  });
  afterAll(() => world.close());

  it("acks a mention at once, replies in its thread, updates the card per stage and fills the thread", async () => {
    const { slack } = world;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
    const envelope = await slack.sendEvent(mention);
    expect(slack.acks.find((ack) => ack.envelopeId === envelope.envelopeId)?.late).toBe(false);
    const mentionTs = mention.event.ts;

    const final = await slack.waitForCall(isFinal, 20_000);
    const card = slack.callsTo("chat.postMessage")[0];
    expect(card?.args.thread_ts).toBe(mentionTs);
    const updates = slack.callsTo("chat.update").filter((call) => call.args.ts === (card?.response as { ts: string }).ts);
    expect(updates.some((call) => String(call.args.text).includes("Stage 1/3"))).toBe(true);
    expect(textOf(final)).toContain("❌ *Broken*");
    expect(textOf(final)).toContain(BROKEN_MODEL_ERROR);
    expect(textOf(final)).toContain("*Answer by the chairman (chair)*");

    await slack.waitForCall((call) => call.method === "chat.postMessage" && textOf(call).includes("Answer by the chairman"), 10_000);
    const thread = slack.thread(mention.event.channel, mentionTs).map((message) => JSON.stringify(message.blocks ?? message.text));
    expect(thread.filter((text) => text.includes("*Alpha*") && text.includes("member-a")).length).toBeGreaterThan(0);
    expect(thread.some((text) => text.includes("🗳️"))).toBe(true);
    expect(slack.rateLimitHits).toBe(0);
  });

  it("starts one council for a mention retried three times", async () => {
    const { slack } = world;
    await expect.poll(() => world.councils.inFlight()).toBe(0);
    const mark = slack.calls.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> What is 2 + 2?`, eventId: "Ev0RETRY01" });
    await slack.sendEvent(mention);
    for (const attempt of [1, 2, 3]) await slack.sendEvent(mention, { retryAttempt: attempt, retryReason: "timeout" });
    await slack.waitForCall(after(mark)(isFinal), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cards = slack.calls.slice(mark).filter((call) => call.method === "chat.postMessage" && call.args.thread_ts === mention.event.ts && String(call.args.text).includes("What is 2 + 2?"));
    expect(cards).toHaveLength(1);
  });

  it("escapes mentions in model text", async () => {
    const { slack, council } = world;
    await expect.poll(() => world.councils.inFlight()).toBe(0);
    council.fake.setModel("member-a", { answer: "Sure <!channel> <!here> <!everyone> and <@U0USER001>, look." });
    const mark = slack.calls.length;
    await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Say hello` }));
    await slack.waitForCall(after(mark)(isFinal), 20_000);
    const posted = slack.calls.slice(mark).filter((call) => call.method === "chat.postMessage" || call.method === "chat.update");
    const all = posted.map(textOf).join("\n");
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U0USER001>/);
    council.fake.setModel("member-a", {});
  });

  it("runs /council in a thread of the question it posts, acked at once", async () => {
    const { slack } = world;
    await expect.poll(() => world.councils.inFlight()).toBe(0);
    const mark = slack.calls.length;
    const envelope = await slack.sendSlashCommand({ text: "Why is the sea salty?" });
    expect(slack.acks.find((ack) => ack.envelopeId === envelope.envelopeId)?.late).toBe(false);
    const root = await slack.waitForCall(after(mark)((call) => call.method === "chat.postMessage" && call.args.thread_ts === undefined));
    expect(String(root.args.text)).toContain("asked the council: Why is the sea salty?");
    const rootTs = (root.response as { ts: string }).ts;
    await slack.waitForCall(after(mark)(isFinal), 20_000);
    expect(slack.calls.slice(mark).some((call) => call.method === "chat.postMessage" && call.args.thread_ts === rootTs)).toBe(true);
  });

  it("tells the asker privately to invite the bot where it is not in the channel", async () => {
    const { slack } = world;
    slack.removeBotFrom(slack.channelId);
    try {
      await slack.sendSlashCommand({ text: "Anyone there?", channelId: slack.channelId });
      const response = await slack.waitForResponse(undefined, 10_000);
      expect(response.responseType).toBe("ephemeral");
      expect(JSON.stringify(response.body)).toContain("/invite @council");
    } finally {
      slack.addBotTo(slack.channelId);
    }
  });

  it("refuses /council-health to a non-admin and shows it to an admin, privately", async () => {
    const { slack } = world;
    await slack.sendSlashCommand({ command: "/council-health", userId: "U0USER001" });
    const refusal = await slack.waitForResponse((post) => post.command?.command === "/council-health" && post.command.user === "U0USER001", 10_000);
    expect(JSON.stringify(refusal.body)).toContain("/council-health is for the council's admins");
    expect(refusal.responseType).toBe("ephemeral");
    await slack.sendSlashCommand({ command: "/council-health", userId: "U0ADMIN01" });
    const report = await slack.waitForResponse((post) => post.command?.command === "/council-health" && post.command.user === "U0ADMIN01", 15_000);
    expect(JSON.stringify(report.body)).toMatch(/🟢 worker http:\/\/127\.0\.0\.1:\d+/);
    expect(report.responseType).toBe("ephemeral");
  });
});

describe("Slack over HTTP", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ mode: "http" });
  });
  afterAll(() => world.close());

  it("accepts a signed event and runs its council, and refuses a bad signature or a stale timestamp", async () => {
    const { slack, eventsUrl } = world;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
    const ok = await slack.postSigned(eventsUrl, mention, { signingSecret: SIGNING_SECRET });
    expect(ok.status).toBe(200);
    expect(ok.late).toBe(false);
    await slack.waitForCall(isFinal, 20_000);
    const forged = await slack.postSigned(eventsUrl, mention, { signingSecret: "not-the-secret-0000" });
    expect(forged.status).toBe(401);
    const stale = await slack.postSigned(eventsUrl, mention, { signingSecret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
  });
});

describe("an unreachable worker", () => {
  it("shows in the thread within 5 s, with the URL", async () => {
    const world = await startSlackWorld({ workerUrl: "http://127.0.0.1:1" });
    try {
      const startedAt = performance.now();
      await world.slack.sendEvent(world.slack.appMention({ text: `<@${world.slack.botUserId}> Hello?` }));
      const final = await world.slack.waitForCall(isFinal, 10_000);
      expect(performance.now() - startedAt).toBeLessThan(5_000);
      expect(String(final.args.text)).toContain("Council failed");
      expect(textOf(final)).toContain("http://127.0.0.1:1");
    } finally {
      await world.close();
    }
  });
});
