import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-discord/index.js";
import { RECORDED_QUESTION, recordStatisticsFixture } from "../../test-support/recorded-statistics.js";
import { type DiscordWorld, startDiscordWorld } from "./discord-world.js";

// /council-stats through the real discord.js client against the fake Discord, over a store that
// holds the statistics fixture's councils (an hour, two days and twenty days old).

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
  recordStatisticsFixture(world.db);
});
afterAll(() => world.close());

async function stats(options: Record<string, string | boolean> = {}) {
  const interaction = await world.command("council-stats", options);
  const mine = (call: RecordedCall) => call.path.includes(interaction.token) || call.path.includes(interaction.id);
  const callback = await world.discord.waitForCall((call) => mine(call) && call.route === "interactionCallback");
  return { interaction, callback, mine };
}

function contentOf(call: RecordedCall): string {
  return String((call.body as { content?: string } | undefined)?.content ?? "");
}

describe("/council-stats", () => {
  it("answers privately by default: deferred, then the leaderboard in a code block, the totals and the dashboard as a PNG", async () => {
    const { discord } = world;
    const { interaction, callback, mine } = await stats();
    expect(callback.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await discord.waitForCall((call) => mine(call) && call.route === "editOriginal", 15_000);
    expect(edit.status).toBe(200);
    const content = contentOf(edit);
    expect(content.startsWith("**council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)**\n```\n#")).toBe(true);
    expect(content).toMatch(/\n1 +b:1b +\d+/);
    expect(content).toContain("1670 prompt and 1130 completion tokens in 12 model calls.");
    expect(content).not.toContain("NIGHTJAR");
    expect(edit.files).toEqual([{ field: "files[0]", name: "council-stats-7d.png", size: expect.any(Number) as number, contentType: "image/png" }]);
    expect((edit.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });

    const message = discord.message(discord.channelId, discord.interaction(interaction.id)?.originalMessageId ?? "");
    expect(message?.flags).toBe(64);
    const [attachment] = message?.attachments ?? [];
    expect(attachment).toMatchObject({ filename: "council-stats-7d.png", content_type: "image/png", description: expect.stringContaining("council statistics") as string });
    const png = Buffer.from(discord.attachmentData(attachment?.id ?? "") ?? []);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(JSON.stringify(message)).not.toContain(RECORDED_QUESTION);
  });

  it("posts in the channel with public, for the period and preset asked", async () => {
    const { discord } = world;
    const { interaction, callback, mine } = await stats({ period: "30d", preset: "quick", public: true });
    expect(callback.body).toEqual({ type: 5, data: {} });
    const edit = await discord.waitForCall((call) => mine(call) && call.route === "editOriginal", 15_000);
    expect(contentOf(edit)).toContain("**council statistics · the last 30 days · preset quick · 1 council (1 failed)**");
    const message = discord.messagesIn(discord.channelId).find((candidate) => candidate.id === discord.interaction(interaction.id)?.originalMessageId);
    expect(message).toMatchObject({ flags: 0, attachments: [expect.objectContaining({ filename: "council-stats-30d-quick.png" })] });
  });

  it("refuses an unknown preset or period privately, with the choices, and draws nothing", async () => {
    const { discord } = world;
    const preset = await stats({ preset: "nope", public: true });
    expect(preset.callback.body).toEqual({
      type: 4,
      data: { content: 'There is no preset "nope"; the presets are: trio, pair, balanced, quick.', flags: 64, allowed_mentions: { parse: [] } },
    });
    // The registered command offers the periods as choices; an older registration could still send another.
    const period = await stats({ period: "3d" });
    expect((period.callback.body as { data: { content: string; flags: number } }).data).toMatchObject({ flags: 64, content: '"3d" is not a period the statistics know; use one of: 24h, 7d, 30d, all.' });
    expect(discord.calls.filter((call) => preset.mine(call) || period.mine(call)).map((call) => call.route)).toEqual(["interactionCallback", "interactionCallback"]);
  });

  it("says when the period has no councils, without an image", async () => {
    const { discord } = world;
    const { mine } = await stats({ period: "24h", preset: "quick" });
    const edit = await discord.waitForCall((call) => mine(call) && call.route === "editOriginal", 15_000);
    expect(contentOf(edit)).toBe(
      "**council statistics · the last 24 hours · preset quick · 0 councils**\nNo councils were recorded in the last 24 hours with the preset quick: ask one, or choose a longer period (all).",
    );
    expect(edit.files).toEqual([]);
  });

  it("still gives the figures, saying why, when Discord refuses the chart", async () => {
    const { discord, council } = world;
    const mark = discord.calls.length;
    discord.failNext((call) => call.id > mark && call.route === "editOriginal" && call.files.length > 0, { status: 413, code: 40005 });
    const { interaction, mine } = await stats();
    const edit = await discord.waitForCall((call) => mine(call) && call.route === "editOriginal" && call.status === 200, 15_000);
    expect(edit.files).toEqual([]);
    expect(contentOf(edit)).toMatch(/^\*\*council statistics · the last 7 days[\s\S]*in 12 model calls\.\n_The chart could not be attached \(.+\)\._$/);
    expect(discord.calls.filter((call) => mine(call) && call.route === "editOriginal").map((call) => call.status)).toEqual([413, 200]);
    expect(council.logs.text()).toContain("the statistics chart could not be attached");
    expect(discord.message(discord.channelId, discord.interaction(interaction.id)?.originalMessageId ?? "")?.attachments).toEqual([]);
  });

  it("answers where /council does, and nowhere else", async () => {
    const closed = await startDiscordWorld({ env: { DISCORD_ALLOWED_CHANNEL_IDS: "123456789012345678" } });
    try {
      const interaction = await closed.command("council-stats");
      const reply = await closed.discord.waitForCall((call) => call.route === "interactionCallback" && call.path.includes(interaction.id));
      expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: "The council does not answer in this channel; ask in one where it is enabled." } });
    } finally {
      await closed.close();
    }
  });
});

describe("/council-stats over HTTP interactions", () => {
  it("defers in the HTTP answer and brings the chart with the webhook edit", async () => {
    const http = await startDiscordWorld({ mode: "http" });
    try {
      recordStatisticsFixture(http.db);
      const interaction = await http.command("council-stats", { public: true });
      expect(http.discord.interaction(interaction.id)?.ack).toMatchObject({ type: 5, ephemeral: false });
      const edit = await http.discord.waitForCall((call) => call.route === "editOriginal" && call.path.includes(interaction.token), 15_000);
      expect(edit.files.map((file) => file.name)).toEqual(["council-stats-7d.png"]);
    } finally {
      await http.close();
    }
  });
});
