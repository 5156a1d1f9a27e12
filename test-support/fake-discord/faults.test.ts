// Scripted failures and what discord.js makes of them: 5xx retried (up to 3 times) then
// HTTPError, 4xx thrown as DiscordAPIError with Discord's code, deleted messages, permissions.
import { DiscordAPIError, HTTPError, PermissionFlagsBits, type Client, type Message, type SendableChannels } from "discord.js";
import { describe, expect, it } from "vitest";
import type { FakeDiscord, FakeDiscordOptions } from "./types.js";
import { nextEvent, useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

async function setup(options: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; client: Client<true>; channel: SendableChannels }> {
  const fake = await harness.start(options);
  const client = await harness.client(fake);
  const channel = client.channels.cache.get(fake.channelId);
  if (!channel?.isSendable()) throw new Error("no channel");
  return { fake, client, channel };
}

describe("failNext", () => {
  it("a scripted 500 on an edit: discord.js retries and the edit lands", async () => {
    const { fake, channel } = await setup();
    const message = await channel.send("v0");
    fake.failNext("editMessage", { status: 500 });
    await message.edit("v1");
    expect(fake.calls.filter((c) => c.route === "editMessage").map((c) => [c.status, c.fault ?? false])).toEqual([
      [500, true],
      [200, false],
    ]);
    expect(fake.message(fake.channelId, message.id)?.content).toBe("v1");
  });

  it("502 four times: discord.js gives up after 3 retries with an HTTPError, and nothing changed", async () => {
    const { fake, channel } = await setup();
    const message = await channel.send("v0");
    fake.failNext({ method: "PATCH", path: /\/messages\// }, { status: 502, times: 4 });
    const error = await message.edit("v1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 502, method: "PATCH" });
    expect(fake.calls.filter((c) => c.route === "editMessage")).toHaveLength(4);
    expect(fake.message(fake.channelId, message.id)?.content).toBe("v0");
  });

  it("403 50013 on thread creation is a DiscordAPIError with Discord's text", async () => {
    const { fake, channel } = await setup();
    const message = await channel.send("question");
    fake.failNext("startThreadFromMessage", { status: 403, code: 50013 });
    const error = await message.startThread({ name: "council" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 403, code: 50013, message: "Missing Permissions" });
    expect(fake.threads).toHaveLength(0);
    // Only the next one fails.
    await message.startThread({ name: "council" });
    expect(fake.threads).toHaveLength(1);
  });

  it("a scripted 429 is waited out and retried by discord.js", async () => {
    const { fake, channel } = await setup();
    fake.failNext("createMessage", { status: 429, retryAfterMs: 200 });
    const sent = await channel.send("hello");
    expect(fake.rateLimitHits).toBe(1);
    const calls = fake.calls.filter((c) => c.route === "createMessage");
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]?.responseHeaders).toMatchObject({ "Retry-After": "1", "X-RateLimit-Scope": "shared" });
    expect(fake.message(fake.channelId, sent.id)?.content).toBe("hello");
  });
});

describe("deleted messages", () => {
  it("deleteMessage: later edits get 404 10008 Unknown Message and the client hears MESSAGE_DELETE", async () => {
    const { fake, client, channel } = await setup();
    const message = await channel.send("progress");
    const deleted = nextEvent<Message>(client, "messageDelete");
    fake.deleteMessage(fake.channelId, message.id);
    expect((await deleted).id).toBe(message.id);
    const error = await message.edit("more progress").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 404, code: 10008, message: "Unknown Message" });
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
    expect(fake.message(fake.channelId, message.id)?.deleted).toBe(true);
  });

  it("a deleted interaction reply: editReply gets 404 10008", async () => {
    const { fake, client } = await setup();
    const got = nextEvent<import("discord.js").ChatInputCommandInteraction>(client, "interactionCreate");
    fake.dispatch("INTERACTION_CREATE", fake.interactionCommand({ name: "council" }));
    const interaction = await got;
    await interaction.reply("answer");
    fake.deleteMessage(fake.channelId, fake.interaction(interaction.id)?.originalMessageId ?? "");
    await expect(interaction.editReply("edited")).rejects.toMatchObject({ status: 404, code: 10008 });
  });
});

describe("permissions", () => {
  it("a channel that denies the bot threads answers 403 50013 by itself", async () => {
    const fake = await harness.start({
      guilds: [
        {
          id: "222222222222222222",
          channels: [{ id: "333333333333333333", name: "no-threads" }],
        },
      ],
    });
    const guild = fake.guilds[0];
    const channelSpec = guild?.channels[0];
    if (!guild || !channelSpec) throw new Error("no guild");
    channelSpec.permission_overwrites = [
      { id: guild.botRoleId, type: 0, allow: "0", deny: PermissionFlagsBits.CreatePublicThreads.toString() },
    ];
    const client = await harness.client(fake);
    const channel = client.channels.cache.get("333333333333333333");
    if (!channel?.isSendable()) throw new Error("no channel");
    const message = await channel.send("q");
    await expect(message.startThread({ name: "t" })).rejects.toMatchObject({ status: 403, code: 50013 });
  });
});
