// The real Bolt App in Socket Mode against the fake: start() (apps.connections.open, hello),
// events and their acks, retried envelopes, slash commands, replies in threads, disconnects.
import { App, SocketModeReceiver, type SlackEventMiddlewareArgs } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { APP_TOKEN, BOT_TOKEN, captured, quietLogger, useFakeSlack } from "./test-helpers.js";

const harness = useFakeSlack();

describe("start", () => {
  it("opens a connection with the app token, gets hello, and checks the bot token with auth.test", async () => {
    const fake = await harness.start();
    await harness.socketApp(fake);
    const open = await fake.waitForCall("apps.connections.open");
    expect(open).toMatchObject({ tokenKind: "app", token: APP_TOKEN, ok: true });
    expect(open.response?.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/socket\\?ticket=[0-9a-f]{32}&app_id=${fake.appId}$`));
    const auth = await fake.waitForCall("auth.test");
    expect(auth).toMatchObject({ tokenKind: "bot", token: BOT_TOKEN, ok: true });
    expect(auth.response).toMatchObject({ user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
    expect(fake.openConnections()).toBe(1);
    expect(fake.connections[0]?.helloAt).toBeTypeOf("number");
  });

  it("refuses to send an envelope when nothing is connected", async () => {
    const fake = await harness.start();
    await expect(fake.sendEvent(fake.appMention({ text: "hi" }))).rejects.toThrow(/no Socket Mode connection/);
  });
});

describe("events", () => {
  it("delivers an app_mention to app.event, records the ack, and say() in the thread lands with thread_ts", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const seen = captured<SlackEventMiddlewareArgs<"app_mention">>((resolve) =>
      app.event("app_mention", async (args) => {
        resolve(args);
        await args.say({ text: "On it.", thread_ts: args.event.ts });
      }),
    );
    const payload = fake.appMention({ text: "Why is the sky blue?", eventId: "Ev0MENTION1" });
    const envelope = await fake.sendEvent(payload);
    const { event, body } = await seen;
    expect(event).toMatchObject({ type: "app_mention", user: fake.userId, channel: fake.channelId, text: `<@${fake.botUserId}> Why is the sky blue?` });
    expect(body.event_id).toBe("Ev0MENTION1");
    expect(envelope.ack).toMatchObject({ duplicate: false, late: false, payload: {} });
    expect(envelope.ack?.latencyMs).toBeGreaterThanOrEqual(0);

    const post = await fake.waitForCall("chat.postMessage");
    expect(post.args).toMatchObject({ channel: fake.channelId, text: "On it.", thread_ts: payload.event.ts, team_id: fake.teamId });
    const thread = fake.thread(fake.channelId, payload.event.ts);
    expect(thread.map((m) => [m.user, m.text])).toEqual([
      [fake.userId, `<@${fake.botUserId}> Why is the sky blue?`],
      [fake.botUserId, "On it."],
    ]);
    expect(thread[1]).toMatchObject({ thread_ts: payload.event.ts, parent_user_id: fake.userId, bot_id: fake.botId });
    expect(thread[0]).toMatchObject({ reply_count: 1, latest_reply: thread[1]?.ts });
  });

  it("lets the listener's client update its message with chat.update", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const done = captured<void>((resolve) =>
      app.event("app_mention", async ({ event, client }) => {
        const posted = await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: "thinking…" });
        await client.chat.update({ channel: event.channel, ts: posted.ts ?? "", text: "done", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*done*" } }] });
        resolve();
      }),
    );
    await fake.sendEvent(fake.appMention({ text: "go" }));
    await done;
    const update = await fake.waitForCall("chat.update");
    const stored = fake.message(fake.channelId, String(update.args.ts));
    expect(stored).toMatchObject({ text: "done", update_count: 1, edited: { user: fake.botUserId } });
    expect(stored?.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "*done*" }, block_id: expect.any(String) }]);
  });

  it("delivers a retried envelope again, with retry_attempt and retry_reason in the context", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const seen: { eventId: string; retryNum?: number; retryReason?: string }[] = [];
    app.event("app_mention", async ({ body, context }) => {
      seen.push({ eventId: body.event_id, ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }), ...(context.retryReason === undefined ? {} : { retryReason: context.retryReason }) });
    });
    const payload = fake.appMention({ text: "once, please" });
    await fake.sendEvent(payload);
    for (const attempt of [1, 2, 3]) await fake.sendEvent(payload, { retryAttempt: attempt, retryReason: "timeout" });
    await expect.poll(() => seen.length).toBe(4);
    expect(new Set(seen.map((s) => s.eventId))).toEqual(new Set([payload.event_id]));
    expect(seen.map((s) => [s.retryNum, s.retryReason])).toEqual([
      [0, ""],
      [1, "timeout"],
      [2, "timeout"],
      [3, "timeout"],
    ]);
    expect(fake.envelopes.map((e) => e.ack?.duplicate)).toEqual([false, false, false, false]);
  });

  it("delivers a direct message (message.im) to app.message", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const message = captured<Record<string, unknown>>((resolve) => app.message(async ({ message }) => resolve(message as unknown as Record<string, unknown>)));
    await fake.sendEvent(fake.directMessage({ text: "hello council" }));
    expect(await message).toMatchObject({ channel: fake.dmChannelId, channel_type: "im", user: fake.userId, text: "hello council" });
  });

  it("surfaces Slack's errors inside a listener (51 blocks: invalid_blocks)", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const failure = captured<unknown>((resolve) =>
      app.event("app_mention", async ({ say }) => {
        const blocks = Array.from({ length: 51 }, () => ({ type: "divider" }));
        await say({ text: "too much", blocks }).catch(resolve);
      }),
    );
    await fake.sendEvent(fake.appMention({ text: "go" }));
    expect(await failure).toMatchObject({ code: "slack_webapi_platform_error", data: { error: "invalid_blocks" } });
    expect(fake.messagesIn(fake.channelId).filter((m) => m.user === fake.botUserId)).toEqual([]);
  });
});

describe("slash commands", () => {
  it("delivers /council to app.command and records the ack; respond() goes to the response_url", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    const seen = captured<Record<string, string>>((resolve) =>
      app.command("/council", async ({ command, ack, respond }) => {
        await ack();
        resolve(command as unknown as Record<string, string>);
        await respond({ text: "The council is thinking.", response_type: "ephemeral" });
      }),
    );
    const envelope = await fake.sendSlashCommand({ text: "Why is the sky blue?" });
    const command = await seen;
    expect(command).toMatchObject({ command: "/council", text: "Why is the sky blue?", user_id: fake.userId, channel_id: fake.channelId, team_id: fake.teamId });
    expect(envelope).toMatchObject({ type: "slash_commands", acceptsResponsePayload: true, ack: { payload: {}, late: false } });
    const response = await fake.waitForResponse();
    expect(response).toMatchObject({ status: 200, responseType: "ephemeral", body: { text: "The council is thinking.", response_type: "ephemeral" } });
    expect(fake.ephemerals).toMatchObject([{ channel: fake.channelId, user: fake.userId, text: "The council is thinking.", source: "response_url" }]);
  });

  it("shows a reply carried in the ack's payload to the user", async () => {
    const fake = await harness.start();
    const app = await harness.socketApp(fake);
    app.command("/council-health", async ({ ack }) => {
      await ack({ text: "All members are up.", response_type: "ephemeral" });
    });
    const envelope = await fake.sendSlashCommand({ command: "/council-health" });
    expect(envelope.ack?.payload).toEqual({ text: "All members are up.", response_type: "ephemeral" });
    expect(fake.ephemerals).toMatchObject([{ user: fake.userId, text: "All members are up.", source: "ack" }]);
  });
});

describe("connections", () => {
  it("asks the client to reconnect with a disconnect envelope; it opens a new connection with a new ticket", async () => {
    const fake = await harness.start();
    const receiver = new SocketModeReceiver({ appToken: APP_TOKEN, clientPingTimeout: 50, logger: quietLogger(), installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } } });
    const app = new App({ token: BOT_TOKEN, receiver, logger: quietLogger(), clientOptions: { slackApiUrl: fake.apiUrl } });
    try {
      await app.start();
      fake.requestDisconnect("refresh_requested");
      await expect.poll(() => fake.connections.length).toBe(2);
      await fake.waitForConnection();
      await expect.poll(() => fake.openConnections()).toBe(1);
      expect(fake.connections[0]).toMatchObject({ closeCode: 1000 });
      expect(fake.connections[0]?.ticket).not.toBe(fake.connections[1]?.ticket);
      expect(fake.callsTo("apps.connections.open")).toHaveLength(2);
      // Events flow on the new connection.
      const mentioned = captured<string>((resolve) => app.event("app_mention", async ({ event }) => resolve(event.text)));
      const envelope = await fake.sendEvent(fake.appMention({ text: "still there?" }));
      expect(envelope.connectionId).toBe(fake.connections[1]?.id);
      expect(await mentioned).toContain("still there?");
    } finally {
      await app.stop();
    }
  });

  it("refuses a WebSocket with a made-up or reused ticket", async () => {
    const fake = await harness.start();
    await harness.socketApp(fake);
    const used = fake.connections[0]?.ticket ?? "";
    const status = (ticket: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${fake.url.replace("http", "ws")}/socket?ticket=${ticket}`);
        socket.on("open", () => resolve(101));
        socket.on("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.on("error", () => {});
      });
    expect(await status("made-up")).toBe(401);
    expect(await status(used)).toBe(401);
    expect(fake.connections).toHaveLength(1);
  });
});
