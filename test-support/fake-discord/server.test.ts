// The fake itself: ids, the record, waits, unknown routes and a close() that never hangs.
import { describe, expect, it } from "vitest";
import { snowflakeTime } from "./snowflake.js";
import { startFakeDiscord } from "./server.js";
import { useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

describe("fake-discord", () => {
  it("makes snowflake ids from its clock", async () => {
    const fake = await harness.start();
    expect(fake.botUserId).toMatch(/^\d{18,19}$/);
    expect(Math.abs(snowflakeTime(fake.guildId) - Date.now())).toBeLessThan(5000);
    expect(fake.applicationId).toBe(fake.botUserId);
  });

  it("answers unknown routes 404 and wrong methods 405, recorded", async () => {
    const fake = await harness.start();
    expect((await fetch(`${fake.restBase}/v10/users/@me/guilds`, { headers: { Authorization: "Bot x" } })).status).toBe(404);
    const wrong = await fetch(`${fake.restBase}/v10/gateway/bot`, { method: "DELETE", headers: { Authorization: "Bot x" } });
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toEqual({ message: "405: Method Not Allowed", code: 0 });
    expect(fake.calls.map((c) => [c.method, c.path, c.route, c.status])).toEqual([
      ["GET", "/users/@me/guilds", undefined, 404],
      ["DELETE", "/gateway/bot", undefined, 405],
    ]);
  });

  it("answers invalid JSON with 400 50109", async () => {
    const fake = await harness.start();
    const response = await fetch(`${fake.restBase}/v10/channels/${fake.channelId}/messages`, {
      method: "POST",
      headers: { Authorization: "Bot x", "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: "The request body contains invalid JSON.", code: 50109 });
  });

  it("waitForCall resolves on an answered call and times out naming the wait", async () => {
    const fake = await harness.start();
    const waiting = fake.waitForCall((c) => c.route === "getGateway");
    await fetch(`${fake.restBase}/v10/gateway`);
    expect((await waiting).status).toBe(200);
    await expect(fake.waitForCall((c) => c.route === "createMessage", 20)).rejects.toThrow(/no matching answered call within 20 ms/);
  });

  it("close() with a client still connected and a wait pending returns promptly", async () => {
    const fake = await startFakeDiscord();
    const client = await harness.client(fake);
    const pending = fake.waitForCall(() => false, 60_000);
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow(/closed/);
    await fake.close();
    await client.destroy();
  });
});
