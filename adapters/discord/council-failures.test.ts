import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-discord/index.js";
import { cardDescription, type DiscordWorld, isFinalCard, startDiscordWorld } from "./discord-world.js";

// What goes wrong on Discord's side, and what the user still sees.

const contentOf = (call: RecordedCall) => String((call.body as { content?: string } | undefined)?.content ?? "");
const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);

describe("Discord failures", () => {
  let world: DiscordWorld;
  let clockOffsetMs = 0;
  beforeAll(async () => {
    world = await startDiscordWorld({ now: () => Date.now() + clockOffsetMs });
  });
  afterAll(() => world.close());

  it("retries 429s and 5xx on card edits, and the final state still arrives", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    // discord.js retries a 5xx three times by itself: four in a row reach the bot.
    discord.failNext("editOriginal", { status: 500, times: 4 });
    discord.failNext("editOriginal", { status: 429, retryAfterMs: 300, times: 2 });
    await world.ask("Why is the sky blue?", { preset: "pair" });
    const final = await discord.waitForCall(after(mark)(isFinalCard), 20_000);
    expect(final.status).toBe(200);
    expect(cardDescription(final)).toMatch(/^\*\*Council completed/);
    expect(discord.calls.slice(mark).filter((call) => call.fault).length).toBe(6);
  });

  it("falls back to replies, with a note, where it may not create threads", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    discord.failNext("startThreadFromMessage", { status: 403, code: 50013 });
    await world.ask("Why is the sky blue?", { preset: "pair" });
    const final = await discord.waitForCall(after(mark)(isFinalCard), 20_000);
    expect(cardDescription(final)).toContain("I may not create threads here, so the details follow as replies to this card.");
    const answer = await discord.waitForCall(after(mark)((call) => call.route === "createMessage" && contentOf(call).startsWith("**Answer")));
    const reference = (answer.body as { message_reference?: { message_id: string } }).message_reference;
    expect(reference?.message_id).toBe((discord.calls.slice(mark).find((call) => call.route === "editOriginal")?.response as { id: string }).id);
  });

  it("finishes in the thread when the card is deleted mid-council, without crashing", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });
    const thread = await discord.waitForCall(after(mark)((call) => call.route === "startThreadFromMessage"));
    const record = discord.interaction(interaction.id);
    discord.deleteMessage(discord.channelId, record?.originalMessageId ?? "");
    const threadId = (thread.response as { id: string }).id;
    await discord.waitForCall(after(mark)((call) => call.route === "createMessage" && call.params.channelId === threadId && contentOf(call).startsWith("**Answer")), 20_000);
    // The bot is still up: the next council works.
    const next = discord.calls.length;
    await world.ask("And at sunset?", { preset: "pair" });
    await discord.waitForCall(after(next)(isFinalCard), 20_000);
  });

  it("edits its own channel message with the bot token once the interaction token has expired", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    await world.ask("Why is the sky blue?", { preset: "pair" });
    await discord.waitForCall(after(mark)((call) => call.route === "startThreadFromMessage"));
    // Sixteen minutes pass, for Discord (the token dies) and for the bot.
    discord.advanceTime(16 * 60_000);
    clockOffsetMs = 16 * 60_000;
    const final = await discord.waitForCall(after(mark)(isFinalCard), 20_000);
    clockOffsetMs = 0;
    expect(final.route).toBe("editMessage");
    expect(final.auth).toBe("Bot");
    expect(final.status).toBe(200);
  });

  it("refuses a user over their hourly limit, privately, saying when to retry", async () => {
    const cooled = await startDiscordWorld({ env: { COUNCIL_USER_PER_HOUR: "1" } });
    try {
      const { discord } = cooled;
      await cooled.ask("First?", { preset: "pair", user: "777" });
      await discord.waitForCall(isFinalCard, 20_000);
      const mark = discord.calls.length;
      await cooled.ask("Second?", { preset: "pair", user: "777" });
      const refusal = await discord.waitForCall(after(mark)((call) => call.route === "interactionCallback"));
      expect(refusal.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/in an hour\. You can ask again in (59|60) min/) } });
    } finally {
      await cooled.close();
    }
  });
});

describe("an unreachable worker", () => {
  it("shows on the card within 5 s, with the URL", async () => {
    const down = await startDiscordWorld({ workerUrl: "http://127.0.0.1:1" });
    try {
      const startedAt = performance.now();
      await down.ask("Why is the sky blue?", { preset: "pair" });
      const final = await down.discord.waitForCall(isFinalCard, 10_000);
      expect(performance.now() - startedAt).toBeLessThan(5_000);
      expect(cardDescription(final)).toMatch(/^\*\*Council failed/);
      expect(cardDescription(final)).toContain("http://127.0.0.1:1");
    } finally {
      await down.close();
    }
  });
});

describe("/council-health", () => {
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld();
  });
  afterAll(() => world.close());

  it("refuses a non-admin, privately", async () => {
    const { discord } = world;
    const interaction = discord.interactionCommand({ name: "council-health", permissions: "0" });
    discord.dispatch("INTERACTION_CREATE", interaction);
    const reply = await discord.waitForCall((call) => call.route === "interactionCallback" && call.path.includes(interaction.id));
    expect(reply.body).toEqual({ type: 4, data: { content: "/council-health is for the council's admins.", flags: 64, allowed_mentions: { parse: [] } } });
  });

  it("shows an admin each worker, this machine, councils in flight and recent failures", async () => {
    const { discord } = world;
    const interaction = discord.interactionCommand({ name: "council-health", permissions: "8" });
    discord.dispatch("INTERACTION_CREATE", interaction);
    const reply = await discord.waitForCall((call) => call.route === "editOriginal" && call.path.includes(interaction.token), 15_000);
    const fields = (reply.body as { embeds: Array<{ fields: Array<{ name: string; value: string }> }> }).embeds[0]?.fields ?? [];
    const names = fields.map((field) => field.name);
    expect(names[0]).toMatch(/^🟢 worker http:\/\/127\.0\.0\.1:\d+/);
    expect(fields[0]?.value).toMatch(/Ollama \S+ · [\d.]+ ms round trip/);
    expect(fields[0]?.value).toContain("installed: ");
    expect(fields[0]?.value).toMatch(/CPU .* cores/);
    expect(names).toEqual(expect.arrayContaining(["This machine (PC1)", "Councils", "Recent failures"]));
    expect(discord.interaction(interaction.id)?.ack?.ephemeral).toBe(true);
  });
});
