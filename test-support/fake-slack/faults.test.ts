// Scripted faults: failNext answers the next matching calls with a Slack error or an HTTP status
// (after the token and rate limits, changing nothing, or after applying the call); web-api
// retries 5xx by its retryConfig and surfaces ok:false at once. deleteMessage and removeBotFrom script what users do.
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { BOT_TOKEN, captured, quietLogger, useFakeSlack } from "./test-helpers.js";
import type { FakeSlack } from "./types.js";

const harness = useFakeSlack();

function client(fake: FakeSlack, retries = 0): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries, minTimeout: 0, maxTimeout: 1 }, logger: quietLogger() });
}

describe("failNext", () => {
  it("fails the next `times` matching calls with the error, then lets them through; nothing is stored", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    fake.failNext("chat.postMessage", { error: "not_in_channel", times: 2 });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await slack.chat.postMessage({ channel: fake.channelId, text: `m${i}` }).then(() => "ok", (e: webApi.WebAPIPlatformError) => e.data.error));
    expect(outcomes).toEqual(["not_in_channel", "not_in_channel", "ok"]);
    expect(fake.callsTo("chat.postMessage").map((c) => [c.status, c.fault ?? false])).toEqual([
      [200, true],
      [200, true],
      [200, false],
    ]);
    expect(fake.messagesIn(fake.channelId).map((m) => m.text)).toEqual(["m2"]);
  });

  it("answers a scripted 5xx as an HTTP error that web-api retries by its retryConfig", async () => {
    const fake = await harness.start();
    fake.failNext("auth.test", { status: 503, times: 2 });
    await expect(client(fake, 2).auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo("auth.test").map((c) => c.status)).toEqual([503, 503, 200]);
    fake.failNext("auth.test", { status: 500 });
    await expect(client(fake, 0).auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
  });

  it("scripts a 429 with Retry-After that counts as a rate-limit hit", async () => {
    const fake = await harness.start();
    fake.failNext("chat.update", { status: 429, retryAfterS: 7 });
    const slack = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true, logger: quietLogger() });
    const { ts = "" } = await slack.chat.postMessage({ channel: fake.channelId, text: "v0" });
    await expect(slack.chat.update({ channel: fake.channelId, ts, text: "v1" })).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(fake.rateLimitHits).toBe(1);
    expect(fake.callsTo("chat.update")[0]).toMatchObject({ status: 429, error: "ratelimited", fault: true, responseHeaders: { "Retry-After": "7" } });
  });

  it("matches with a predicate on the call", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    fake.failNext((call) => call.method === "chat.postMessage" && call.args.channel === "C0COUNCIL", { error: "channel_not_found" });
    await expect(slack.chat.postMessage({ channel: fake.channelId, text: "fine" })).resolves.toMatchObject({ ok: true });
    await expect(slack.chat.postMessage({ channel: "C0COUNCIL", text: "no" })).rejects.toMatchObject({ data: { error: "channel_not_found" } });
  });

  it("refuses a fault it could not answer with", async () => {
    const fake = await harness.start();
    expect(() => fake.failNext("auth.test", { status: 99 })).toThrow(/HTTP status/);
    expect(() => fake.failNext("auth.test", { times: 0 })).toThrow(/times/);
    expect(() => fake.failNext("chat.postMessage", { afterApplying: true })).toThrow(/afterApplying needs a 5xx/);
    expect(() => fake.failNext("chat.postMessage", { status: 429, afterApplying: true })).toThrow(/afterApplying needs a 5xx/);
  });
});

describe("failNext afterApplying: a write Slack made whose answer was lost", () => {
  it("writes the message, then answers the 5xx; web-api's retry writes a second copy", async () => {
    const fake = await harness.start();
    fake.failNext("chat.postMessage", { status: 500, afterApplying: true });
    await expect(client(fake, 2).chat.postMessage({ channel: fake.channelId, text: "once" })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo("chat.postMessage").map((c) => [c.status, c.fault ?? false])).toEqual([
      [500, true],
      [200, false],
    ]);
    expect(fake.messagesIn(fake.channelId).map((m) => m.text)).toEqual(["once", "once"]);
  });

  it("without a retry, the caller gets the 5xx and the message is there once", async () => {
    const fake = await harness.start();
    fake.failNext("chat.postMessage", { status: 503, afterApplying: true });
    await expect(client(fake, 0).chat.postMessage({ channel: fake.channelId, text: "once" })).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 503 });
    expect(fake.messagesIn(fake.channelId).map((m) => m.text)).toEqual(["once"]);
    expect(fake.callsTo("chat.postMessage")[0]).toMatchObject({ status: 503, fault: true, error: "internal_error" });
  });

  it("answers the fault even when the call itself was refused, and a refused call writes nothing", async () => {
    const fake = await harness.start();
    fake.failNext("chat.postMessage", { status: 502, afterApplying: true });
    await expect(client(fake, 0).chat.postMessage({ channel: "C0NOWHERE", text: "lost" })).rejects.toMatchObject({ statusCode: 502 });
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
  });

  it("shares an upload on the completion it answers with a 5xx, once", async () => {
    const fake = await harness.start();
    fake.failNext("files.completeUploadExternal", { status: 500, afterApplying: true });
    const upload = client(fake, 0).filesUploadV2({ channel_id: fake.channelId, file: Buffer.from("png"), filename: "t.png", title: "T" });
    await expect(upload).rejects.toMatchObject({ statusCode: 500 });
    expect(fake.messagesIn(fake.channelId).filter((m) => m.files !== undefined)).toHaveLength(1);
  });
});

describe("what users do", () => {
  it("deletes a message under the bot, and takes the bot out of a channel, while a listener works", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const errors = captured<string[]>((resolve) =>
      app.event("app_mention", async ({ event, client: slack }) => {
        const { ts = "" } = await slack.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: "card" });
        fake.deleteMessage(event.channel, ts);
        const update = await slack.chat.update({ channel: event.channel, ts, text: "card v2" }).then(() => "ok", (e: webApi.WebAPIPlatformError) => e.data.error);
        fake.removeBotFrom(event.channel);
        const post = await slack.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: "more" }).then(() => "ok", (e: webApi.WebAPIPlatformError) => e.data.error);
        resolve([update, post]);
      }),
    );
    await fake.sendEvent(fake.appMention({ text: "go" }));
    expect(await errors).toEqual(["message_not_found", "not_in_channel"]);
  });

  it("forgets the record and pending faults with resetRecord", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    fake.failNext("auth.test", { error: "invalid_auth" });
    await slack.chat.postMessage({ channel: fake.channelId, text: "m" });
    fake.resetRecord();
    expect(fake.calls).toEqual([]);
    await expect(slack.auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls.map((c) => c.id)).toEqual([2]);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });
});
