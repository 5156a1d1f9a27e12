// Interaction responses through the real discord.js: defer (type 5, ephemeral only at defer
// time), editReply on @original, follow-ups, the single ack, the 3 s deadline and the 15 min token.
import { AttachmentBuilder, DiscordAPIError, MessageFlags, Routes, type ChatInputCommandInteraction, type Client } from "discord.js";
import { describe, expect, it } from "vitest";
import type { FakeDiscord } from "./types.js";
import { nextEvent, useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

async function command(fake: FakeDiscord, client: Client, name = "council"): Promise<ChatInputCommandInteraction> {
  const got = nextEvent<ChatInputCommandInteraction>(client, "interactionCreate");
  fake.dispatch("INTERACTION_CREATE", fake.interactionCommand({ name, options: { question: "q" } }));
  return got;
}

describe("deferReply and editReply", () => {
  it("defers with callback type 5, then editReply patches @original and the message shows it", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    await interaction.deferReply();
    const callback = fake.calls.find((c) => c.route === "interactionCallback");
    expect(callback).toMatchObject({
      method: "POST",
      path: `/interactions/${interaction.id}/${interaction.token}/callback`,
      auth: "none",
      body: { type: 5, data: { flags: 0 } },
      query: { with_response: "false" },
      status: 204,
    });
    const state = fake.interaction(interaction.id);
    const originalId = state?.originalMessageId ?? "";
    // The "is thinking..." message exists until the edit.
    expect(fake.message(fake.channelId, originalId)).toMatchObject({ content: "", flags: 128 });

    const reply = await interaction.editReply({ content: "The council says: 42", allowedMentions: { parse: [] } });
    expect(reply.id).toBe(originalId);
    expect(reply.content).toBe("The council says: 42");
    const edit = fake.calls.find((c) => c.route === "editOriginal");
    expect(edit).toMatchObject({
      method: "PATCH",
      path: `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`,
      auth: "none",
      status: 200,
    });
    expect(edit?.body).toMatchObject({ content: "The council says: 42", allowed_mentions: { parse: [] } });
    expect(fake.message(fake.channelId, originalId)).toMatchObject({
      content: "The council says: 42",
      flags: 0,
      type: 20,
      webhook_id: fake.applicationId,
      edit_count: 1,
      allowed_mentions: { parse: [] },
    });
    expect((await interaction.fetchReply()).content).toBe("The council says: 42");
  });

  it("chooses ephemeral at defer time (flags 64) and keeps it through the edit", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    expect(fake.calls.find((c) => c.route === "interactionCallback")?.body).toEqual({ type: 5, data: { flags: 64 } });
    await interaction.editReply("only you can see this");
    const original = fake.message(fake.channelId, fake.interaction(interaction.id)?.originalMessageId ?? "");
    expect(original).toMatchObject({ content: "only you can see this", flags: 64 });
    // Ephemeral messages are not channel messages.
    await expect(interaction.channel?.messages.fetch({ message: original?.id ?? "", force: true })).rejects.toMatchObject({ code: 10008 });
  });

  it("answers a second ack with 400 40060", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    await interaction.reply({ content: "first" });
    const second = await client.rest
      .post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 5 }, auth: false })
      .catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DiscordAPIError);
    expect(second).toMatchObject({ status: 400, code: 40060, message: "Interaction has already been acknowledged." });
  });

  it("answers a callback after the 3 s deadline with 404 10062 Unknown interaction", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    fake.advanceTime(3_001);
    await expect(interaction.deferReply()).rejects.toMatchObject({ status: 404, code: 10062, message: "Unknown interaction" });
  });

  it("sends follow-ups to the webhook with wait=true", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    await interaction.deferReply();
    await interaction.editReply("answer");
    const followUp = await interaction.followUp({ content: "the reviews", flags: MessageFlags.Ephemeral });
    expect(fake.calls.find((c) => c.route === "createFollowup")).toMatchObject({ query: { wait: "true" }, status: 200 });
    expect(fake.message(fake.channelId, followUp.id)).toMatchObject({ content: "the reviews", flags: 64 });
    expect(fake.interaction(interaction.id)?.followupIds).toEqual([followUp.id]);
    await interaction.editReply({ message: followUp.id, content: "the reviews, edited" });
    expect(fake.message(fake.channelId, followUp.id)?.content).toBe("the reviews, edited");
  });

  it("refuses the interaction webhook 15 minutes on with 401 50027 Invalid Webhook Token", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    await interaction.deferReply();
    await interaction.editReply("still working...");
    fake.advanceTime(14 * 60_000);
    await interaction.editReply("still working after 14 minutes");
    fake.advanceTime(60_001);
    const error = await interaction.editReply("too late").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 401, code: 50027, message: "Invalid Webhook Token" });
    await expect(interaction.followUp("also too late")).rejects.toMatchObject({ code: 50027 });
    // The bot token still edits the message in the channel.
    const originalId = fake.interaction(interaction.id)?.originalMessageId ?? "";
    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error("no channel");
    const message = await channel.messages.fetch(originalId);
    await message.edit("done, via the bot token");
    expect(fake.message(fake.channelId, originalId)?.content).toBe("done, via the bot token");
  });

  it("answers with_response=true with the callback resource", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    const response = await interaction.reply({ content: "hi", withResponse: true });
    expect(response.interaction.id).toBe(interaction.id);
    expect(response.resource?.message?.content).toBe("hi");
  });

  it("updates a component's message with callback type 7", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error("no channel");
    const sent = await channel.send({
      content: "Show the reviews?",
      components: [{ type: 1, components: [{ type: 2, style: 1, label: "Show", custom_id: "reviews" }] }],
    });
    const got = nextEvent<import("discord.js").ButtonInteraction>(client, "interactionCreate");
    fake.dispatch("INTERACTION_CREATE", fake.interactionComponent({ customId: "reviews", channelId: fake.channelId, messageId: sent.id }));
    const click = await got;
    expect(click.isButton() && click.customId).toBe("reviews");
    await click.update({ content: "Reviews: ...", components: [] });
    expect(fake.message(fake.channelId, sent.id)).toMatchObject({ content: "Reviews: ...", components: [] });
  });
});

describe("files through the interaction", () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  it("takes multipart on the callback, on @original and on follow-ups, and keeps the bytes", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const replied = await command(fake, client);
    await replied.reply({ content: "chart", files: [new AttachmentBuilder(png, { name: "a.png", description: "the chart" })] });
    const callback = fake.calls.find((c) => c.route === "interactionCallback");
    expect(callback?.files).toEqual([{ field: "files[0]", name: "a.png", size: png.length, contentType: "image/png" }]);
    const original = fake.message(fake.channelId, fake.interaction(replied.id)?.originalMessageId ?? "");
    expect(original?.attachments).toEqual([expect.objectContaining({ filename: "a.png", size: png.length, content_type: "image/png", description: "the chart" })]);
    expect(Buffer.from(fake.attachmentData(original?.attachments[0]?.id ?? "") ?? [])).toEqual(png);

    const deferred = await command(fake, client);
    await deferred.deferReply({ flags: MessageFlags.Ephemeral });
    await deferred.editReply({ content: "later", files: [new AttachmentBuilder(png, { name: "b.png" })] });
    const edited = fake.message(fake.channelId, fake.interaction(deferred.id)?.originalMessageId ?? "");
    expect(edited).toMatchObject({ content: "later", flags: 64, attachments: [expect.objectContaining({ filename: "b.png" })] });
    const followUp = await deferred.followUp({ content: "more", files: [new AttachmentBuilder(png, { name: "c.png" })], flags: MessageFlags.Ephemeral });
    expect(fake.message(fake.channelId, followUp.id)).toMatchObject({ flags: 64, attachments: [expect.objectContaining({ filename: "c.png", size: png.length })] });
  });

  it("matches an attachment's description to its files[n] part by n, as Discord does", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const interaction = await command(fake, client);
    await interaction.deferReply();
    await client.rest.patch(Routes.webhookMessage(fake.applicationId, interaction.token), {
      auth: false,
      body: { content: "x", attachments: [{ id: "7", description: "seventh" }] },
      files: [{ key: "files[7]", name: "seven.png", data: png }],
    });
    const message = fake.message(fake.channelId, fake.interaction(interaction.id)?.originalMessageId ?? "");
    expect(message?.attachments).toEqual([expect.objectContaining({ filename: "seven.png", description: "seventh" })]);
  });
});
