import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_MODEL_ERROR } from "../../test-support/test-council.js";
import { TIMELINE_CAPTION } from "../shared/timeline-image.js";
import { embedChars, LIMITS } from "../../test-support/fake-discord/index.js";
import { cardDescription, type DiscordWorld, isCardEdit, isFinalCard, startDiscordWorld } from "./discord-world.js";

// The real discord.js client against the fake Discord, asking the real core through the
// worker and the fake Ollama. The "trio" preset has one member whose model answers 500.

let world: DiscordWorld;
let threadOfFirstCouncil = "";

beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(() => world.close());

describe("/council", () => {
  it("defers, posts the card, opens a thread, edits the card per stage and fills the thread", async () => {
    const { discord } = world;
    const interaction = await world.ask("Why is the sky blue?");
    const final = await world.finalCard();
    const calls = discord.calls.filter((call) => call.at >= 0 && call.id >= 1);
    const ofInteraction = calls.filter((call) => call.path.includes(interaction.token) || call.path.includes(interaction.id) || call.route === "startThreadFromMessage" || call.route === "createMessage");

    // The sequence: acknowledge (deferred), the first card, the thread, then edits and thread posts.
    const first = ofInteraction[0];
    expect(first?.route).toBe("interactionCallback");
    expect(first?.body).toEqual({ type: 5, data: {} });
    const routes = ofInteraction.map((call) => call.route);
    expect(routes[1]).toBe("editOriginal");
    expect(routes[2]).toBe("startThreadFromMessage");
    const threadId = (ofInteraction[2]?.response as { id: string }).id;

    // The card shows each stage as it goes, and ends partial: the broken member failed, with its reason.
    const cards = ofInteraction.filter(isCardEdit).map(cardDescription);
    expect(cards.some((text) => text.includes("Stage 1/3 · opinions"))).toBe(true);
    expect(cards.some((text) => text.includes("Stage 2/3 · peer review") || text.includes("Stage 3/3 · synthesis"))).toBe(true);
    expect(cardDescription(final)).toMatch(/^\*\*Partial result in/);
    expect(cardDescription(final)).toContain(`❌ **Broken** · member-broken · failed:`);
    expect(cardDescription(final)).toContain(BROKEN_MODEL_ERROR);
    expect(cardDescription(final)).toContain("**Answer by the chairman (chair)**");

    // The thread: each member's answer, the ballots, the final answer.
    await discord.waitForCall((call) => call.route === "createMessage" && call.params.channelId === threadId && String((call.body as { content?: string }).content).startsWith("**Answer"));
    // The timeline image may already follow them: it is the thread's last post (council-timeline.test.ts).
    const posts = discord.messagesIn(threadId).map((message) => message.content).filter((content) => content !== TIMELINE_CAPTION);
    expect(posts.filter((content) => content.startsWith("**Alpha**") || content.startsWith("**Bravo**"))).toHaveLength(2);
    expect(posts.some((content) => content.startsWith("🗳️"))).toBe(true);
    expect(posts.at(-1)).toContain("The chairman's answer");

    // Nothing the bot posted can ping anyone, and every card fits Discord's embed limits.
    const withText = ofInteraction.filter((call) => call.route === "createMessage" || call.route === "editOriginal" || call.route === "editMessage");
    for (const call of withText) expect((call.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    for (const call of ofInteraction.filter(isCardEdit)) {
      const embed = (call.body as { embeds: Record<string, unknown>[] }).embeds[0] ?? {};
      expect(embedChars(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
      expect(call.status).toBe(200);
    }
    expect(discord.rateLimitHits).toBe(0);
    threadOfFirstCouncil = threadId;
  });

  it("answers a follow-up asked in the thread with a new council that sees the earlier question and answer", async () => {
    const { discord, council } = world;
    // The first council is over once it has left the gate (its thread is remembered by then).
    await expect.poll(() => world.councils.inFlight()).toBe(0);
    const mark = discord.calls.length;
    const asked = discord.messageCreate({ channelId: threadOfFirstCouncil, content: `<@${discord.botUserId}> And why is it red at sunset?` });
    discord.dispatch("MESSAGE_CREATE", asked);
    const card = await discord.waitForCall((call) => call.id > mark && call.route === "createMessage" && call.params.channelId === threadOfFirstCouncil && Array.isArray((call.body as { embeds?: unknown[] }).embeds));
    expect((card.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(asked.id);
    const final = await discord.waitForCall((call) => call.id > mark && isFinalCard(call), 20_000);
    expect(final.route).toBe("editMessage");
    const followUpCall = council.fake.requests.findLast((request) => JSON.stringify(request.body ?? null).includes("why is it red at sunset"));
    const messages = (followUpCall?.body as { messages: Array<{ role: string; content: string }> }).messages;
    expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages[1]?.content).toBe("Why is the sky blue?");
    expect(messages[2]?.content).toContain("The chairman's answer");
  });

  it("keeps a private council private: no thread, the details as private follow-ups", async () => {
    const { discord } = world;
    const before = discord.calls.length;
    const interaction = await world.ask("What is 2 + 2?", { private: true, preset: "pair", user: "555" });
    await discord.waitForCall((call) => call.id > before && isFinalCard(call));
    await discord.waitForCall((call) => call.id > before && call.route === "createFollowup" && String((call.body as { content?: string }).content).startsWith("**Answer"));
    const mine = discord.calls.slice(before);
    expect(mine.find((call) => call.route === "interactionCallback")?.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(mine.some((call) => call.route === "startThreadFromMessage")).toBe(false);
    const followUps = mine.filter((call) => call.route === "createFollowup");
    expect(followUps.length).toBeGreaterThan(0);
    for (const call of followUps) expect((call.body as { flags?: number }).flags).toBe(64);
    expect(discord.interaction(interaction.id)?.ack?.ephemeral).toBe(true);
  });
});
