// Rate limits like Discord's: X-RateLimit-* headers on every answer, 429 with Retry-After, and
// the per-channel edit limit that discord.js learns about only from the 429 (unless advertised).
// Windows are 1 s here so the tests stay fast (and six quick edits still fit in one on a busy box).
import { describe, expect, it } from "vitest";
import type { Client, SendableChannels } from "discord.js";
import type { FakeDiscord, FakeDiscordOptions, RecordedCall } from "./types.js";
import { useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();
const FAST = { limit: 5, windowMs: 1000 };

async function setup(options: FakeDiscordOptions): Promise<{ fake: FakeDiscord; client: Client<true>; channel: SendableChannels }> {
  const fake = await harness.start(options);
  const client = await harness.client(fake);
  const channel = client.channels.cache.get(fake.channelId);
  if (!channel?.isSendable()) throw new Error("no channel");
  return { fake, client, channel };
}

const edits = (fake: FakeDiscord): RecordedCall[] => fake.calls.filter((c) => c.route === "editMessage" || c.route === "editOriginal");

describe("headers", () => {
  it("are on every answer, including 401 and 404", async () => {
    const fake = await harness.start();
    const ok = await fetch(`${fake.restBase}/v10/gateway`);
    const unauthorized = await fetch(`${fake.restBase}/v10/channels/${fake.channelId}/messages`, { method: "POST" });
    const missing = await fetch(`${fake.restBase}/v10/nowhere`);
    expect([ok.status, unauthorized.status, missing.status]).toEqual([200, 401, 404]);
    expect(await unauthorized.json()).toEqual({ message: "401: Unauthorized", code: 0 });
    for (const response of [ok, unauthorized, missing]) {
      expect(response.headers.get("x-ratelimit-limit")).toBe("50");
      expect(response.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
      expect(response.headers.get("x-ratelimit-reset")).toMatch(/^\d+\.\d{3}$/);
      expect(response.headers.get("x-ratelimit-reset-after")).toMatch(/^\d+\.\d{3}$/);
      expect(response.headers.get("x-ratelimit-bucket")).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});

describe("per-channel edit limit", () => {
  it("answers the 6th quick edit with 429 and Discord's headers; discord.js retries after the reset and the edit lands", async () => {
    const { fake, channel } = await setup({ rateLimits: { edits: FAST } });
    const message = await channel.send("v0");
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => message.edit(`v${i}`)));
    expect(fake.rateLimitHits).toBe(1);
    const calls = edits(fake);
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 429, 200]);
    const limited = calls[5];
    expect(limited?.response).toMatchObject({ message: "You are being rate limited.", global: false });
    const retryAfter = (limited?.response as { retry_after: number }).retry_after;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1);
    expect(limited?.responseHeaders).toMatchObject({
      "X-RateLimit-Limit": "5",
      "X-RateLimit-Remaining": "0",
      "Retry-After": "1",
      "X-RateLimit-Scope": "user",
    });
    expect(Number(limited?.responseHeaders?.["X-RateLimit-Reset-After"])).toBeCloseTo(retryAfter, 2);
    // The retry waited for the reset (discord.js sleeps until X-RateLimit-Reset-After).
    const retry = calls[6];
    expect((retry?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(retryAfter * 1000 - 5);
    expect(retry?.body).toMatchObject({ content: "v6" });
    expect(fake.message(fake.channelId, message.id)).toMatchObject({ content: "v6", edit_count: 6 });
  });

  it("is hidden by default: successful edits show the generous route bucket", async () => {
    const { fake, channel } = await setup({ rateLimits: { edits: FAST } });
    const message = await channel.send("v0");
    await message.edit("v1");
    expect(edits(fake)[0]?.responseHeaders?.["X-RateLimit-Limit"]).toBe("50");
  });

  it("when advertised, discord.js waits on the headers and no 429 is sent", async () => {
    const { fake, channel } = await setup({ rateLimits: { edits: { ...FAST, advertised: true } } });
    const message = await channel.send("v0");
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => message.edit(`v${i}`)));
    expect(fake.rateLimitHits).toBe(0);
    const calls = edits(fake);
    expect(calls.map((c) => c.responseHeaders?.["X-RateLimit-Remaining"])).toEqual(["4", "3", "2", "1", "0", "4"]);
    expect((calls[5]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("counts interaction-webhook edits and channel edits of one channel together", async () => {
    const { fake, client, channel } = await setup({ rateLimits: { edits: FAST } });
    const got = new Promise<import("discord.js").ChatInputCommandInteraction>((resolve) =>
      client.once("interactionCreate", (i) => i.isChatInputCommand() && resolve(i)),
    );
    fake.dispatch("INTERACTION_CREATE", fake.interactionCommand({ name: "council" }));
    const interaction = await got;
    await interaction.deferReply();
    const message = await channel.send("progress");
    await Promise.all([
      ...[1, 2, 3].map((i) => interaction.editReply(`reply ${i}`)),
      ...[1, 2, 3].map((i) => message.edit(`progress ${i}`)),
    ]);
    // discord.js keeps the two routes in separate buckets, so it cannot see the shared limit.
    expect(fake.rateLimitHits).toBeGreaterThanOrEqual(1);
    expect(fake.message(fake.channelId, message.id)?.content).toBe("progress 3");
    expect(fake.message(fake.channelId, fake.interaction(interaction.id)?.originalMessageId ?? "")?.content).toBe("reply 3");
  });

  it("starts a fresh window when the fake clock moves on", async () => {
    const { fake, channel } = await setup({ rateLimits: { edits: { limit: 2, windowMs: 60_000 } } });
    const message = await channel.send("v0");
    await message.edit("v1");
    await message.edit("v2");
    fake.advanceTime(60_000);
    await message.edit("v3");
    expect(fake.rateLimitHits).toBe(0);
  });
});
