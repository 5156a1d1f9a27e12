// Rate limits like Slack's: chat.update is Tier 3 per workspace (50 a minute; 5 a second here so
// the tests stay fast), 429 with Retry-After in whole seconds and { ok: false, error:
// "ratelimited" }; web-api retries after Retry-After by itself, or rejects at once with
// rejectRateLimitedCalls. chat.postMessage per channel is opt-in.
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "./rate-limits.js";
import { BOT_TOKEN, captured, quietLogger, useFakeSlack } from "./test-helpers.js";
import type { FakeSlack } from "./types.js";

const harness = useFakeSlack();
const FAST = { "chat.update": { limit: 5, windowMs: 1000 } };

function client(fake: FakeSlack, options: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: webApi.retryPolicies.rapidRetryPolicy, logger: quietLogger(), ...options });
}

async function posted(fake: FakeSlack, slack: webApi.WebClient): Promise<string> {
  const result = await slack.chat.postMessage({ channel: fake.channelId, text: "v0" });
  return result.ts ?? "";
}

describe("chat.update (Tier 3, per workspace)", () => {
  it("answers the 6th quick update with 429, Retry-After and ratelimited; web-api waits and retries, and the update lands", async () => {
    const fake = await harness.start({ rateLimits: FAST });
    const slack = client(fake);
    const ts = await posted(fake, slack);
    const started = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => slack.chat.update({ channel: fake.channelId, ts, text: `v${i}` })));
    expect(fake.callsTo("chat.update").map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 429, 200]);
    const limited = fake.callsTo("chat.update")[5];
    expect(limited?.response).toEqual({ ok: false, error: "ratelimited" });
    expect(limited?.responseHeaders).toMatchObject({ "Retry-After": "1" });
    expect(fake.rateLimitHits).toBe(1);
    // web-api slept Retry-After (1 s) before the retry.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.message(fake.channelId, ts)?.update_count).toBe(6);
  });

  it("rejects at once with WebAPIRateLimitedError under rejectRateLimitedCalls", async () => {
    const fake = await harness.start({ rateLimits: FAST });
    const slack = client(fake, { rejectRateLimitedCalls: true });
    const ts = await posted(fake, slack);
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => slack.chat.update({ channel: fake.channelId, ts, text: `v${i}` })));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.callsTo("chat.update")).toHaveLength(6);
  });

  it("counts per workspace, across channels and messages, and the window ends on the fake clock", async () => {
    const fake = await harness.start({ rateLimits: FAST });
    const slack = client(fake, { rejectRateLimitedCalls: true });
    const inGeneral = await posted(fake, slack);
    const inCouncil = (await slack.chat.postMessage({ channel: "C0COUNCIL", text: "v0" })).ts ?? "";
    for (const i of [1, 2, 3]) await slack.chat.update({ channel: fake.channelId, ts: inGeneral, text: `v${i}` });
    for (const i of [1, 2]) await slack.chat.update({ channel: "C0COUNCIL", ts: inCouncil, text: `v${i}` });
    await expect(slack.chat.update({ channel: "C0COUNCIL", ts: inCouncil, text: "v3" })).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    fake.advanceTime(1000);
    await expect(slack.chat.update({ channel: "C0COUNCIL", ts: inCouncil, text: "v3" })).resolves.toMatchObject({ ok: true });
  });

  it("defaults to Slack's Tier 3: 50 a minute", async () => {
    expect(DEFAULT_RATE_LIMITS["chat.update"]).toEqual({ limit: 50, windowMs: 60_000, per: "workspace" });
    const fake = await harness.start();
    const slack = client(fake, { rejectRateLimitedCalls: true });
    const ts = await posted(fake, slack);
    for (let i = 1; i <= 50; i++) await slack.chat.update({ channel: fake.channelId, ts, text: `v${i}` });
    const error = await slack.chat.update({ channel: fake.channelId, ts, text: "v51" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    // Retry-After: the rest of the minute, in whole seconds.
    expect((error as webApi.WebAPIRateLimitedError).retryAfter).toBeGreaterThan(50);
    expect((error as webApi.WebAPIRateLimitedError).retryAfter).toBeLessThanOrEqual(60);
  });

  it("reaches a Bolt listener's client too: it retries by itself after Retry-After", async () => {
    const fake = await harness.start({ rateLimits: FAST });
    const app = await harness.socketApp(fake, { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: webApi.retryPolicies.rapidRetryPolicy } });
    const done = captured<number>((resolve) =>
      app.event("app_mention", async ({ event, client: slack }) => {
        const ts = (await slack.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: "v0" })).ts ?? "";
        await Promise.all([1, 2, 3, 4, 5, 6].map((i) => slack.chat.update({ channel: event.channel, ts, text: `v${i}` })));
        resolve(fake.message(event.channel, ts)?.update_count ?? 0);
      }),
    );
    await fake.sendEvent(fake.appMention({ text: "go" }));
    expect(await done).toBe(6);
    expect(fake.rateLimitHits).toBe(1);
  });
});

describe("chat.postMessage (per channel, opt-in)", () => {
  it("is not limited by default", async () => {
    const fake = await harness.start();
    const slack = client(fake, { rejectRateLimitedCalls: true });
    await Promise.all(Array.from({ length: 20 }, (_, i) => slack.chat.postMessage({ channel: fake.channelId, text: `m${i}` })));
    expect(fake.rateLimitHits).toBe(0);
  });

  it("limits each channel on its own when configured", async () => {
    const fake = await harness.start({ rateLimits: { "chat.postMessage": { limit: 1, windowMs: 1000, per: "channel" } } });
    const slack = client(fake, { rejectRateLimitedCalls: true });
    await slack.chat.postMessage({ channel: fake.channelId, text: "one" });
    await slack.chat.postMessage({ channel: "C0COUNCIL", text: "one" });
    await expect(slack.chat.postMessage({ channel: fake.channelId, text: "two" })).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.messagesIn(fake.channelId).map((m) => m.text)).toEqual(["one"]);
  });
});

describe("configuration", () => {
  it("turns a default limit off with false and refuses nonsense", async () => {
    const fake = await harness.start({ rateLimits: { "chat.update": false } });
    const slack = client(fake, { rejectRateLimitedCalls: true });
    const ts = await posted(fake, slack);
    for (let i = 1; i <= 60; i++) await slack.chat.update({ channel: fake.channelId, ts, text: `v${i}` });
    expect(fake.rateLimitHits).toBe(0);
    await expect(harness.start({ rateLimits: { "chat.update": { limit: 0 } } })).rejects.toThrow(/bad rate limit/);
  });
});
