import { describe, expect, it } from "vitest";
import { chatsTo, sharedCouncilDb } from "../faults/platform-helpers.js";
import { cardDescription, startDiscordWorld } from "./discord-world.js";

// A signed interaction is valid for the 5 minutes its timestamp allows, so whoever captured one
// (an attacker on the path, a proxy that retries) can post it again. Discord itself delivers an
// interaction once; a second delivery of the same id is acknowledged and starts nothing, even
// after the bot restarted, since the ids are kept in COUNCIL_DB.

describe("a signed Discord interaction posted again", () => {
  it("is answered 202 with no body and starts no second council, before and after a restart", { timeout: 40_000 }, async () => {
    const db = await sharedCouncilDb();
    const first = await startDiscordWorld({ mode: "http", env: { COUNCIL_DB: db.path } });
    const { discord, council } = first;
    const sender = first.sender;
    const url = first.interactionsUrl;
    if (!sender || !url) throw new Error("the world is not in http mode");
    try {
      const interaction = discord.interactionCommand({ name: "council", options: { question: "Why is the sky blue?", preset: "pair" } });
      const signed = sender.sign(interaction);
      const delivered = await sender.deliver(url, signed);
      expect({ status: delivered.status, body: JSON.parse(delivered.text) as unknown }).toEqual({ status: 200, body: { type: 5, data: {} } });

      // Replayed at once, twice, while the first council runs.
      expect([await sender.post(url, signed), await sender.post(url, signed)]).toEqual([
        { status: 202, text: "" },
        { status: 202, text: "" },
      ]);
      expect(cardDescription(await first.finalCard(20_000))).toMatch(/^\*\*Council completed/);
      expect(first.store.recent(10)).toHaveLength(1);
      // One "pair" council asks 5 generations: two answers, two ballots and the chairman's.
      expect(chatsTo(council.fake)).toHaveLength(5);

      // The bot restarts on the same database; the captured request is posted once more.
      await first.kill();
      const second = await startDiscordWorld({ mode: "http", discord, sender, env: { COUNCIL_DB: db.path } });
      try {
        expect(await sender.post(second.interactionsUrl ?? "", signed)).toEqual({ status: 202, text: "" });
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
