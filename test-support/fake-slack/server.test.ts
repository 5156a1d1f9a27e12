// The server itself: one port for the Web API, Socket Mode and response_urls; close() that never
// hangs, even with a Bolt app connected or a wait pending; the record's waits.
import { describe, expect, it } from "vitest";
import { startFakeSlack } from "./server.js";
import { useFakeSlack } from "./test-helpers.js";

const harness = useFakeSlack();

describe("server", () => {
  it("listens on 127.0.0.1 with the API under /api/ and answers 404 elsewhere", async () => {
    const fake = await harness.start();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.apiUrl).toBe(`${fake.url}/api/`);
    const missing = await fetch(`${fake.url}/nowhere`);
    expect(missing.status).toBe(404);
    await missing.text();
  });

  it("closes at once with a Socket Mode client connected, and fails pending waits", async () => {
    const fake = await startFakeSlack();
    const opened = await fetch(`${fake.apiUrl}apps.connections.open`, { method: "POST", headers: { Authorization: "Bearer xapp-1-x" } });
    const { url } = (await opened.json()) as { url: string };
    const { WebSocket } = await import("ws");
    const socket = new WebSocket(url);
    const hello = await new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    expect(JSON.parse(hello)).toMatchObject({ type: "hello", num_connections: 1, connection_info: { app_id: fake.appId }, debug_info: { host: "fake-slack" } });
    const pending = fake.waitForCall("chat.postMessage", 10_000);
    const closedSocket = new Promise<number>((resolve) => socket.once("close", resolve));
    const started = Date.now();
    await fake.close();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow(/closed/);
    expect(await closedSocket).toBe(1006);
    expect(fake.connections[0]?.closedAt).toBeTypeOf("number");
  });

  it("times out a wait with a message naming what it waited for", async () => {
    const fake = await harness.start();
    await expect(fake.waitForCall("chat.update", 50)).rejects.toThrow("fake-slack: no answered chat.update call within 50 ms");
    await expect(fake.waitForResponse(undefined, 50)).rejects.toThrow("fake-slack: no response_url post within 50 ms");
  });

  it("builds app_mention and message.im payloads the way Slack sends them", async () => {
    const fake = await harness.start();
    const mention = fake.appMention({ text: `hi <@${fake.botUserId}> there`, threadTs: "1700000000.000100" });
    expect(mention).toMatchObject({
      type: "event_callback",
      team_id: fake.teamId,
      api_app_id: fake.appId,
      event: { type: "app_mention", user: fake.userId, channel: fake.channelId, text: `hi <@${fake.botUserId}> there`, thread_ts: "1700000000.000100" },
      authorizations: [{ team_id: fake.teamId, user_id: fake.botUserId, is_bot: true }],
    });
    expect(mention.event.event_ts).toBe(mention.event.ts);
    expect(mention.event_id).toMatch(/^Ev[0-9A-F]{10}$/);
    const dm = fake.directMessage({ text: "psst" });
    expect(dm.event).toMatchObject({ type: "message", channel_type: "im", channel: fake.dmChannelId, text: "psst" });
    expect(fake.message(fake.dmChannelId, dm.event.ts)).toMatchObject({ user: fake.userId, source: "user" });
    expect(() => fake.appMention({ text: "x", channel: "C0NOWHERE" })).toThrow(/no channel/);
    const later = fake.appMention({ text: "later" });
    expect(Number(later.event.ts)).toBeGreaterThan(Number(mention.event.ts));
  });
});
