import { describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-discord/index.js";
import { chatsTo, sharedCouncilDb } from "../faults/platform-helpers.js";
import { cardDescription, type DiscordWorld, isFinalCard, startDiscordWorld } from "./discord-world.js";

// In gateway mode the bot acknowledges an interaction with a callback over REST. Discord may
// apply that callback and lose only its answer (a 502 from its edge): discord.js sends it again,
// and the resend meets 400 40060 "already acknowledged". The council must still run, once. And
// as the bot reads that 40060 as its own callback, a second delivery of the same interaction
// must start nothing, even after a restart: otherwise it would look acknowledged and run a
// second council.

/** One "pair" council asks 5 generations: two answers, two ballots and the chairman's. */
const ONE_COUNCIL_CHATS = 5;

const callbacksOf = (world: DiscordWorld, interactionId: string): RecordedCall[] =>
  world.discord.calls.filter((call) => call.route === "interactionCallback" && call.params.interactionId === interactionId);

/** Waits for the council to be over, down to its timeline (posted last), so nothing is counted early. */
async function councilOver(world: DiscordWorld): Promise<string> {
  const final = await world.discord.waitForCall((call) => isFinalCard(call) && call.status === 200, 20_000);
  await world.discord.waitForCall((call) => call.route === "createMessage" && call.files.some((file) => file.name === "timeline.png") && !call.fault, 20_000);
  await expect.poll(() => world.councils.inFlight()).toBe(0);
  return cardDescription(final);
}

/** The bot's log line for a repeated delivery it dropped. */
const droppedRepeatOf = (interactionId: string) => (entry: Record<string, unknown>) =>
  entry.msg === "an interaction already handled was delivered again; nothing started" && entry.interaction === interactionId;

/** The channel's messages that are cards (embeds), as ids. */
const cardsIn = (world: DiscordWorld) =>
  world.discord
    .messagesIn(world.discord.channelId)
    .filter((message) => message.embeds.length > 0)
    .map((message) => message.id);

describe("a gateway interaction's acknowledgement", () => {
  it("applied by Discord whose answer was lost: discord.js's resend meets 40060, and the one council runs to its final card", { timeout: 40_000 }, async () => {
    const world = await startDiscordWorld();
    try {
      const { discord } = world;
      discord.failNext("interactionCallback", { status: 502, afterApplying: true });
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });

      expect(await councilOver(world)).toMatch(/^\*\*Council completed/);
      // The callback Discord applied (answered 502), then discord.js's resend of it.
      expect(callbacksOf(world, interaction.id).map((call) => [call.status, (call.response as { code?: number }).code ?? 0])).toEqual([
        [502, 0],
        [400, 40060],
      ]);
      expect(discord.interaction(interaction.id)?.ack?.type).toBe(5);
      expect(cardsIn(world)).toEqual([discord.interaction(interaction.id)?.originalMessageId]);
      expect(world.store.recent(10)).toHaveLength(1);
      expect(chatsTo(world.council.fake)).toHaveLength(ONE_COUNCIL_CHATS);
    } finally {
      await world.close();
    }
  });
});

describe("the same INTERACTION_CREATE delivered twice over the gateway", () => {
  it("starts one council and shows one card, before and after a restart", { timeout: 60_000 }, async () => {
    const db = await sharedCouncilDb();
    const first = await startDiscordWorld({ env: { COUNCIL_DB: db.path } });
    const { discord } = first;
    try {
      const interaction = await first.ask("Why is the sky blue?", { preset: "pair" });
      discord.dispatch("INTERACTION_CREATE", interaction);

      expect(await councilOver(first)).toMatch(/^\*\*Council completed/);
      expect(first.store.recent(10)).toHaveLength(1);
      expect(chatsTo(first.council.fake)).toHaveLength(ONE_COUNCIL_CHATS);
      expect(cardsIn(first)).toEqual([discord.interaction(interaction.id)?.originalMessageId]);
      expect(callbacksOf(first, interaction.id)).toHaveLength(1);
      expect(first.council.logs.entries().filter(droppedRepeatOf(interaction.id))).toHaveLength(1);

      // A bot started again on the same COUNCIL_DB remembers nothing in memory: the claim in the
      // store is what keeps the interaction from starting a council there.
      await first.kill();
      const second = await startDiscordWorld({ discord, env: { COUNCIL_DB: db.path } });
      try {
        const mark = discord.calls.length;
        discord.dispatch("INTERACTION_CREATE", interaction);
        await expect.poll(() => second.council.logs.entries().filter(droppedRepeatOf(interaction.id))).toHaveLength(1);
        expect(discord.calls.slice(mark).filter((call) => call.route === "interactionCallback")).toHaveLength(0);
        expect(second.store.recent(10)).toHaveLength(1);
        expect(chatsTo(second.council.fake)).toHaveLength(0);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await db.remove();
    }
  });
});
