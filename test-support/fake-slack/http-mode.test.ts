// HTTP mode: signed requests into the real Bolt HTTPReceiver. A good signature is accepted, a
// bad one or a timestamp over 5 minutes old gets 401 and reaches no listener; retries carry
// X-Slack-Retry-Num; slash commands come form-encoded and their ack body is the HTTP answer.
import { verifySlackRequest } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { signedRequest, slackSignature } from "./signing.js";
import { captured, SIGNING_SECRET, useFakeSlack } from "./test-helpers.js";

const harness = useFakeSlack();
const signing = { signingSecret: SIGNING_SECRET };

describe("signing", () => {
  it("signs v0:{timestamp}:{body} with HMAC-SHA256 as Bolt verifies it", () => {
    const request = signedRequest({ type: "event_callback" }, { signingSecret: "s3cret", timestamp: 1_700_000_000 });
    expect(request.body).toBe('{"type":"event_callback"}');
    expect(request.headers).toEqual({
      "Content-Type": "application/json",
      "X-Slack-Request-Timestamp": "1700000000",
      "X-Slack-Signature": slackSignature("s3cret", 1_700_000_000, request.body),
    });
    expect(request.headers["X-Slack-Signature"]).toMatch(/^v0=[0-9a-f]{64}$/);
    const fresh = signedRequest(new URLSearchParams({ command: "/council", text: "a b" }), { signingSecret: "s3cret" });
    expect(fresh.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(() =>
      verifySlackRequest({
        signingSecret: "s3cret",
        body: fresh.body,
        headers: { "x-slack-signature": fresh.headers["X-Slack-Signature"] ?? "", "x-slack-request-timestamp": Number(fresh.headers["X-Slack-Request-Timestamp"]) },
      }),
    ).not.toThrow();
  });
});

describe("events over HTTP", () => {
  it("accepts a signed event: 200, the listener runs, latency recorded", async () => {
    const fake = await harness.start();
    const { app, eventsUrl } = await harness.httpApp(fake);
    const mentioned = captured<string>((resolve) => app.event("app_mention", async ({ event }) => resolve(event.text)));
    const delivery = await fake.postSigned(eventsUrl, fake.appMention({ text: "over HTTP" }), signing);
    expect(delivery).toMatchObject({ status: 200, late: false, url: eventsUrl });
    expect(delivery.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await mentioned).toBe(`<@${fake.botUserId}> over HTTP`);
    expect(fake.deliveries).toEqual([delivery]);
  });

  it("refuses a bad signature and a timestamp older than 5 minutes with 401, and no listener runs", async () => {
    const fake = await harness.start();
    const { app, eventsUrl } = await harness.httpApp(fake);
    let ran = 0;
    app.event("app_mention", async () => void ran++);
    const now = Math.floor(Date.now() / 1000);
    const wrongSecret = await fake.postSigned(eventsUrl, fake.appMention({ text: "a" }), { signingSecret: "not-the-secret" });
    const forged = await fake.postSigned(eventsUrl, fake.appMention({ text: "b" }), { ...signing, signature: `v0=${"0".repeat(64)}` });
    const stale = await fake.postSigned(eventsUrl, fake.appMention({ text: "c" }), { ...signing, timestamp: now - 5 * 60 - 30 });
    const recent = await fake.postSigned(eventsUrl, fake.appMention({ text: "d" }), { ...signing, timestamp: now - 4 * 60 });
    expect([wrongSecret.status, forged.status, stale.status, recent.status]).toEqual([401, 401, 401, 200]);
    await expect.poll(() => ran).toBe(1);
  });

  it("passes X-Slack-Retry-Num and X-Slack-Retry-Reason to the context", async () => {
    const fake = await harness.start();
    const { app, eventsUrl } = await harness.httpApp(fake);
    const retry = captured<[number | undefined, string | undefined]>((resolve) => app.event("app_mention", async ({ context }) => resolve([context.retryNum, context.retryReason])));
    await fake.postSigned(eventsUrl, fake.appMention({ text: "again" }), { ...signing, retryNum: 2, retryReason: "http_timeout" });
    expect(await retry).toEqual([2, "http_timeout"]);
    expect(fake.deliveries[0]?.headers).toMatchObject({ "X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout" });
  });

  it("answers url_verification with the challenge", async () => {
    const fake = await harness.start();
    const { eventsUrl } = await harness.httpApp(fake);
    const delivery = await fake.postSigned(eventsUrl, { token: "x", challenge: "c-123", type: "url_verification" }, signing);
    expect(delivery).toMatchObject({ status: 200, responseJson: { challenge: "c-123" } });
  });
});

describe("slash commands over HTTP", () => {
  it("delivers a form-encoded /council; the ack's body is the HTTP answer; respond() goes to the response_url", async () => {
    const fake = await harness.start();
    const { app, eventsUrl } = await harness.httpApp(fake);
    const responded = captured<void>((resolve) =>
      app.command("/council", async ({ command, ack, respond }) => {
        await ack({ text: `Asking: ${command.text}`, response_type: "ephemeral" });
        await respond({ text: "Here is the answer.", response_type: "in_channel" });
        resolve();
      }),
    );
    const command = fake.slashCommand({ text: "Why?" });
    const delivery = await fake.postSigned(eventsUrl, new URLSearchParams(command), signing);
    expect(delivery.headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(delivery).toMatchObject({ status: 200, responseJson: { text: "Asking: Why?", response_type: "ephemeral" } });
    await responded;
    expect(fake.responses).toMatchObject([{ status: 200, responseType: "in_channel", command: { command: "/council", channel: fake.channelId, user: fake.userId } }]);
    expect(fake.messagesIn(fake.channelId)).toMatchObject([{ text: "Here is the answer.", user: fake.botUserId, source: "response_url" }]);
  });
});
