// Channel messages and threads with the bot token through the real discord.js: send, edit,
// allowed_mentions, files, replies, threads from a message, Discord's validation errors, and
// the gateway events Discord sends back for the bot's own writes.
import { AttachmentBuilder, ChannelType, DiscordAPIError, EmbedBuilder, type Client, type Message, type SendableChannels } from "discord.js";
import { describe, expect, it } from "vitest";
import type { FakeDiscord } from "./types.js";
import { nextEvent, useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

function sendable(client: Client, id: string): SendableChannels {
  const channel = client.channels.cache.get(id);
  if (!channel?.isSendable()) throw new Error(`channel ${id} is not cached or not sendable`);
  return channel;
}

async function setup(): Promise<{ fake: FakeDiscord; client: Client<true>; channel: SendableChannels }> {
  const fake = await harness.start();
  const client = await harness.client(fake);
  return { fake, client, channel: sendable(client, fake.channelId) };
}

describe("send and edit", () => {
  it("stores what channel.send sent, records allowed_mentions, and pings nobody under parse: []", async () => {
    const { fake, channel } = await setup();
    const sent = await channel.send({ content: "@everyone the council has spoken", allowedMentions: { parse: [] } });
    const call = fake.calls.find((c) => c.route === "createMessage");
    expect(call).toMatchObject({ method: "POST", path: `/channels/${fake.channelId}/messages`, auth: "Bot", status: 200 });
    expect(call?.body).toMatchObject({ content: "@everyone the council has spoken", allowed_mentions: { parse: [] } });
    expect(fake.message(fake.channelId, sent.id)).toMatchObject({
      content: "@everyone the council has spoken",
      author: { id: fake.botUserId, bot: true },
      mention_everyone: false,
      allowed_mentions: { parse: [] },
    });
    // Without allowed_mentions, the same text pings everyone (the bot has MENTION_EVERYONE).
    const loud = await channel.send("@everyone hello");
    expect(fake.message(fake.channelId, loud.id)?.mention_everyone).toBe(true);
    expect(sent.author.id).toBe(fake.botUserId);
  });

  it("edits with message.edit (PATCH) and keeps what the edit does not touch", async () => {
    const { fake, channel } = await setup();
    const sent = await channel.send({ content: "draft", embeds: [new EmbedBuilder().setTitle("Council").setDescription("thinking")] });
    const edited = await sent.edit({ content: "final", allowedMentions: { parse: [] } });
    expect(edited.content).toBe("final");
    expect(edited.editedTimestamp).not.toBeNull();
    const stored = fake.message(fake.channelId, sent.id);
    expect(stored).toMatchObject({ content: "final", edit_count: 1, allowed_mentions: { parse: [] } });
    expect(stored?.embeds).toEqual([{ type: "rich", title: "Council", description: "thinking" }]);
    expect(fake.calls.find((c) => c.route === "editMessage")).toMatchObject({ method: "PATCH", path: `/channels/${fake.channelId}/messages/${sent.id}` });
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toEqual([sent.id]);
  });

  it("parses multipart uploads: file names, sizes and payload_json", async () => {
    const { fake, channel } = await setup();
    const file = new AttachmentBuilder(Buffer.from("a".repeat(1234)), { name: "transcript.md", description: "full transcript" });
    const sent = await channel.send({ content: "attached", files: [file] });
    const call = fake.calls.find((c) => c.route === "createMessage");
    expect(call?.files).toEqual([{ field: "files[0]", name: "transcript.md", size: 1234, contentType: expect.any(String) as string }]);
    expect(call?.body).toMatchObject({ content: "attached", attachments: [{ id: "0", description: "full transcript" }] });
    expect(sent.attachments.first()).toMatchObject({ name: "transcript.md", size: 1234, description: "full transcript" });
  });

  it("replies with a message_reference and pings the replied user only when allowed", async () => {
    const { fake, client, channel } = await setup();
    const question = fake.messageCreate({ channelId: fake.channelId, content: "hey bot" });
    const got = nextEvent<Message>(client, "messageCreate");
    fake.dispatch("MESSAGE_CREATE", question);
    const incoming = await got;
    const quiet = await incoming.reply({ content: "answer", allowedMentions: { parse: [], repliedUser: false } });
    expect(fake.message(fake.channelId, quiet.id)).toMatchObject({ type: 19, message_reference: { message_id: question.id }, mentions: [] });
    const loud = await channel.send({ content: "again", reply: { messageReference: question.id } });
    expect(fake.message(fake.channelId, loud.id)?.mentions.map((u) => u.id)).toEqual([question.author.id]);
  });

  it("echoes the bot's own messages as MESSAGE_CREATE, as Discord does", async () => {
    const { fake, client, channel } = await setup();
    const got = nextEvent<Message>(client, "messageCreate");
    const sent = await channel.send("hello");
    const echoed = await got;
    expect(echoed.id).toBe(sent.id);
    expect(echoed.author.id).toBe(fake.botUserId);
  });
});

describe("threads", () => {
  it("starts a thread on a message (same id as the message) and sends in it", async () => {
    const { fake, client, channel } = await setup();
    const root = await channel.send("Question: why?");
    const thread = await root.startThread({ name: "Council: why?", autoArchiveDuration: 60 });
    expect(thread.id).toBe(root.id);
    expect(thread.parentId).toBe(fake.channelId);
    const call = fake.calls.find((c) => c.route === "startThreadFromMessage");
    expect(call).toMatchObject({ method: "POST", path: `/channels/${fake.channelId}/messages/${root.id}/threads`, status: 201 });
    expect(call?.body).toMatchObject({ name: "Council: why?", auto_archive_duration: 60 });
    expect(fake.threads).toHaveLength(1);
    expect(fake.threads[0]).toMatchObject({ id: root.id, type: 11, name: "Council: why?", parent_id: fake.channelId, owner_id: fake.botUserId });
    expect(fake.message(fake.channelId, root.id)?.flags).toBe(32);

    const inThread = await thread.send({ content: "Member A says...", allowedMentions: { parse: [] } });
    expect(fake.messagesIn(thread.id).map((m) => m.content)).toEqual(["Member A says..."]);
    expect(fake.channel(thread.id)).toMatchObject({ message_count: 1, last_message_id: inThread.id });
    expect(client.channels.cache.get(thread.id)?.isThread()).toBe(true);
    await expect(root.startThread({ name: "again" })).rejects.toMatchObject({ status: 400, code: 160004 });
  });

  it("refuses a thread name over 100 characters with 50035", async () => {
    const { channel } = await setup();
    const root = await channel.send("q");
    const error = await root.startThread({ name: "x".repeat(101) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect((error as DiscordAPIError).rawError).toMatchObject({
      errors: { name: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length." }] } },
    });
  });

  it("creates a standalone thread with POST /channels/{c}/threads", async () => {
    const { fake, client } = await setup();
    const parent = client.channels.cache.get(fake.channelId);
    if (parent?.type !== ChannelType.GuildText) throw new Error("no text channel");
    const thread = await parent.threads.create({ name: "council-42" });
    expect(fake.calls.find((c) => c.route === "startThread")?.status).toBe(201);
    expect(fake.channel(thread.id)).toMatchObject({ type: 11, name: "council-42", parent_id: fake.channelId });
  });
});

describe("validation like Discord's", () => {
  it("refuses embeds over 6000 characters in total with 400 50035 MAX_EMBED_SIZE_EXCEEDED", async () => {
    const { fake, channel } = await setup();
    const embeds = [1, 2].map((i) => new EmbedBuilder().setTitle(`Member ${i}`).setDescription("y".repeat(3500)));
    const error = await channel.send({ embeds }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect((error as DiscordAPIError).message).toContain("Embed size exceeds maximum size of 6000");
    expect((error as DiscordAPIError).rawError).toEqual({
      message: "Invalid Form Body",
      code: 50035,
      errors: { embeds: { _errors: [{ code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000" }] } },
    });
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
  });

  it("names each field over its limit, as discord.js flattens them", async () => {
    const { channel } = await setup();
    const error = (await channel
      .send({
        content: "c".repeat(2001),
        embeds: [{ title: "t".repeat(257), description: "d".repeat(4097), fields: [{ name: "n", value: "v".repeat(1025) }], footer: { text: "f".repeat(2049) } }],
      })
      .catch((e: unknown) => e)) as DiscordAPIError;
    expect(error.code).toBe(50035);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("Invalid Form Body");
    expect(lines.slice(1).sort()).toEqual([
      "content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.",
      "embeds[0].description[BASE_TYPE_MAX_LENGTH]: Must be 4096 or fewer in length.",
      "embeds[0].fields[0].value[BASE_TYPE_MAX_LENGTH]: Must be 1024 or fewer in length.",
      "embeds[0].footer.text[BASE_TYPE_MAX_LENGTH]: Must be 2048 or fewer in length.",
      "embeds[0].title[BASE_TYPE_MAX_LENGTH]: Must be 256 or fewer in length.",
    ]);
  });

  it("refuses more than 10 embeds and more than 25 fields", async () => {
    const { channel } = await setup();
    const many = Array.from({ length: 11 }, () => ({ description: "x" }));
    await expect(channel.send({ embeds: many })).rejects.toMatchObject({
      rawError: { errors: { embeds: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length." }] } } },
    });
    const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: "v" }));
    await expect(channel.send({ embeds: [{ fields }] })).rejects.toMatchObject({
      rawError: { errors: { embeds: { "0": { fields: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } } } },
    });
  });

  it("refuses an empty message with 50006", async () => {
    const { fake, client } = await setup();
    await expect(client.rest.post(`/channels/${fake.channelId}/messages`, { body: { content: "" } })).rejects.toMatchObject({
      status: 400,
      code: 50006,
      message: "Cannot send an empty message",
    });
  });
});
