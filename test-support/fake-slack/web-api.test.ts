// The Web API methods through the real web-api WebClient: what is recorded, what is stored, and
// Slack's errors for tokens, channels and messages.
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { APP_TOKEN, BOT_TOKEN, quietLogger, useFakeSlack } from "./test-helpers.js";
import type { FakeSlack } from "./types.js";

const harness = useFakeSlack();

function client(fake: FakeSlack, token = BOT_TOKEN): webApi.WebClient {
  return new webApi.WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger() });
}

const slackError = (promise: Promise<unknown>) => promise.then(
  () => undefined,
  (error: webApi.WebAPIPlatformError) => error.data?.error,
);

describe("the record", () => {
  it("keeps every call: method, parsed args, token kind, time and response", async () => {
    const fake = await harness.start();
    const before = fake.clock.now();
    const result = await client(fake).chat.postMessage({ channel: fake.channelId, text: "hi", blocks: [{ type: "divider" }], unfurl_links: false, unfurl_media: false });
    const call = await fake.waitForCall("chat.postMessage");
    expect(call).toMatchObject({ method: "chat.postMessage", httpMethod: "POST", encoding: "form", tokenKind: "bot", token: BOT_TOKEN, status: 200, ok: true });
    // Form fields as sent (web-api JSON-encodes blocks; Slack parses them).
    expect(call.args).toEqual({ channel: fake.channelId, text: "hi", blocks: [{ type: "divider" }], unfurl_links: "false", unfurl_media: "false" });
    expect(call.at).toBeGreaterThanOrEqual(before);
    expect(call.answeredAt).toBeGreaterThanOrEqual(call.at);
    expect(call.response).toMatchObject({ ok: true, channel: fake.channelId, ts: result.ts });
    expect(fake.message(fake.channelId, result.ts ?? "")?.options).toEqual({ unfurl_links: false, unfurl_media: false });
  });

  it("reads JSON bodies with the token in the Authorization header, and the token in a form body", async () => {
    const fake = await harness.start();
    const json = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${BOT_TOKEN}`, "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: fake.channelId, text: "json", blocks: [{ type: "divider" }] }),
    });
    expect(await json.json()).toMatchObject({ ok: true });
    const form = await fetch(`${fake.apiUrl}auth.test`, { method: "POST", body: new URLSearchParams({ token: BOT_TOKEN }) });
    expect(await form.json()).toMatchObject({ ok: true, user_id: fake.botUserId });
    expect(fake.calls.map((c) => [c.method, c.encoding, c.tokenKind])).toEqual([
      ["chat.postMessage", "json", "bot"],
      ["auth.test", "form", "bot"],
    ]);
    expect(fake.calls[1]?.args).toEqual({});
  });

  it("answers an unknown method with unknown_method", async () => {
    const fake = await harness.start();
    expect(await slackError(client(fake).apiCall("chat.nothing"))).toBe("unknown_method");
  });
});

describe("tokens", () => {
  it("answers not_authed without a token and invalid_auth for a bad one", async () => {
    const fake = await harness.start({ botToken: BOT_TOKEN });
    expect(await slackError(client(fake, "").auth.test())).toBe("not_authed");
    expect(await slackError(client(fake, "xoxb-someone-else").auth.test())).toBe("invalid_auth");
    expect(await slackError(client(fake, "not-a-token").auth.test())).toBe("invalid_auth");
    expect(fake.calls.map((c) => c.tokenKind)).toEqual(["none", "bot", "unknown"]);
  });

  it("opens Socket Mode connections with the app-level token only, and takes bot methods from bot tokens only", async () => {
    const fake = await harness.start();
    expect(await slackError(client(fake, BOT_TOKEN).apps.connections.open())).toBe("not_allowed_token_type");
    expect(await slackError(client(fake, APP_TOKEN).chat.postMessage({ channel: fake.channelId, text: "x" }))).toBe("not_allowed_token_type");
    const opened = await client(fake, APP_TOKEN).apps.connections.open();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\?ticket=/);
  });
});

describe("messages", () => {
  it("posts into threads and reads them back with conversations.replies", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const root = await slack.chat.postMessage({ channel: fake.channelId, text: "root" });
    const reply = await slack.chat.postMessage({ channel: fake.channelId, text: "reply", thread_ts: root.ts ?? "" });
    expect(reply.message).toMatchObject({ text: "reply", thread_ts: root.ts, user: fake.botUserId, bot_id: fake.botId });
    const replies = await slack.conversations.replies({ channel: fake.channelId, ts: root.ts ?? "" });
    expect(replies.messages?.map((m) => m.text)).toEqual(["root", "reply"]);
    expect(replies.messages?.[0]).toMatchObject({ reply_count: 1, thread_ts: root.ts, latest_reply: reply.ts });
    expect(await slackError(slack.conversations.replies({ channel: fake.channelId, ts: "1.000001" }))).toBe("thread_not_found");
    const history = await slack.conversations.history({ channel: fake.channelId });
    expect(history.messages?.map((m) => m.text)).toEqual(["root"]);
  });

  it("posts to a channel by name or to a user's DM by user id", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    expect((await slack.chat.postMessage({ channel: "#council", text: "x" })).channel).toBe("C0COUNCIL");
    expect((await slack.chat.postMessage({ channel: fake.userId, text: "x" })).channel).toBe(fake.dmChannelId);
  });

  it("updates the bot's message: keeps blocks unless sent, [] removes them; message_not_found when deleted or unknown", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const { ts = "" } = await slack.chat.postMessage({ channel: fake.channelId, text: "v0", blocks: [{ type: "divider" }] });
    const updated = await slack.chat.update({ channel: fake.channelId, ts, text: "v1" });
    expect(updated).toMatchObject({ ok: true, channel: fake.channelId, ts, text: "v1" });
    expect(fake.message(fake.channelId, ts)?.blocks).toHaveLength(1);
    await slack.chat.update({ channel: fake.channelId, ts, text: "v2", blocks: [] });
    expect(fake.message(fake.channelId, ts)).toMatchObject({ text: "v2", update_count: 2 });
    expect(fake.message(fake.channelId, ts)?.blocks).toBeUndefined();

    fake.deleteMessage(fake.channelId, ts);
    expect(await slackError(slack.chat.update({ channel: fake.channelId, ts, text: "v3" }))).toBe("message_not_found");
    expect(await slackError(slack.chat.update({ channel: fake.channelId, ts: "1.000001", text: "v3" }))).toBe("message_not_found");
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
  });

  it("refuses to update or delete a user's message", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const mention = fake.appMention({ text: "hello" });
    expect(await slackError(slack.chat.update({ channel: fake.channelId, ts: mention.event.ts, text: "mine now" }))).toBe("cant_update_message");
    expect(await slackError(slack.chat.delete({ channel: fake.channelId, ts: mention.event.ts }))).toBe("cant_delete_message");
  });

  it("deletes the bot's message", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const { ts = "" } = await slack.chat.postMessage({ channel: fake.channelId, text: "bye" });
    await expect(slack.chat.delete({ channel: fake.channelId, ts })).resolves.toMatchObject({ ok: true, ts });
    expect(fake.message(fake.channelId, ts)?.deleted).toBe(true);
    expect(await slackError(slack.chat.delete({ channel: fake.channelId, ts }))).toBe("message_not_found");
  });

  it("shows an ephemeral message to one user, never in history", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const result = await slack.chat.postEphemeral({ channel: fake.channelId, user: fake.userId, text: "only you", thread_ts: "1.000002" });
    expect(fake.ephemerals).toEqual([{ message_ts: result.message_ts, channel: fake.channelId, user: fake.userId, text: "only you", thread_ts: "1.000002", at: expect.any(Number), source: "api" }]);
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
    expect(await slackError(slack.chat.postEphemeral({ channel: fake.channelId, user: "U0NOBODY", text: "x" }))).toBe("user_not_found");
  });
});

describe("channels", () => {
  it("answers channel_not_found, not_in_channel and is_archived like Slack", async () => {
    const fake = await harness.start({
      channels: [
        { id: "C0GENERAL", name: "general" },
        { id: "C0OUTSIDE", name: "outside", botIsMember: false },
        { id: "G0SECRET1", name: "secret", private: true, botIsMember: false },
        { id: "C0OLD0001", name: "old", archived: true },
      ],
    });
    const slack = client(fake);
    const post = (channel: string) => slackError(slack.chat.postMessage({ channel, text: "x" }));
    expect(await post("C0NOWHERE")).toBe("channel_not_found");
    expect(await post("C0OUTSIDE")).toBe("not_in_channel");
    expect(await post("G0SECRET1")).toBe("channel_not_found");
    expect(await post("C0OLD0001")).toBe("is_archived");
    expect(await post("C0GENERAL")).toBeUndefined();
    fake.removeBotFrom("C0GENERAL");
    expect(await post("C0GENERAL")).toBe("not_in_channel");
    fake.addBotTo("C0GENERAL");
    expect(await post("C0GENERAL")).toBeUndefined();
  });

  it("describes channels and users", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const info = await slack.conversations.info({ channel: fake.channelId });
    expect(info.channel).toMatchObject({ id: fake.channelId, name: "general", is_channel: true, is_member: true, is_private: false });
    const dm = await slack.conversations.info({ channel: fake.dmChannelId });
    expect(dm.channel).toMatchObject({ id: fake.dmChannelId, is_im: true, user: fake.userId });
    const user = await slack.users.info({ user: fake.userId });
    expect(user.user).toMatchObject({ id: fake.userId, name: "tester", is_bot: false, team_id: fake.teamId });
    expect(await slackError(slack.users.info({ user: "U0NOBODY" }))).toBe("user_not_found");
  });
});
