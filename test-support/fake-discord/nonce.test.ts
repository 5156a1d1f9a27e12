// Create Message's nonce as Discord documents it: with enforce_nonce, a second create by the same
// author with the same nonce within a few minutes answers the first message and creates nothing;
// the nonce is a string of up to 25 characters or an integer. And the fault it guards against:
// a create Discord applied whose answer was lost (failNext's afterApplying), which discord.js resends.
import { DiscordAPIError, HTTPError, type Client, type Message, Routes, type SendableChannels } from "discord.js";
import { describe, expect, it } from "vitest";
import { NONCE_WINDOW_MS } from "./messages.js";
import type { FakeDiscord } from "./types.js";
import { useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

async function setup(): Promise<{ fake: FakeDiscord; client: Client<true>; channel: SendableChannels }> {
  const fake = await harness.start();
  const client = await harness.client(fake);
  const channel = client.channels.cache.get(fake.channelId);
  if (!channel?.isSendable()) throw new Error("no channel");
  return { fake, client, channel };
}

/** The ids of the messages the client hears created, in order. */
function heardCreates(client: Client): string[] {
  const heard: string[] = [];
  client.on("messageCreate", (message: Message) => heard.push(message.id));
  return heard;
}

/**
 * Sends one more message and waits until the client hears it: the gateway keeps order, so any
 * MESSAGE_CREATE the fake sent for earlier calls has been heard by then.
 */
async function flushGateway(channel: SendableChannels, heard: string[]): Promise<string> {
  const marker = await channel.send("marker");
  await expect.poll(() => heard.includes(marker.id)).toBe(true);
  return marker.id;
}

const createCalls = (fake: FakeDiscord) => fake.calls.filter((call) => call.route === "createMessage");

describe("enforce_nonce", () => {
  it("answers a second create with the same nonce with the first message (200, same body), creates nothing and sends no MESSAGE_CREATE", async () => {
    const { fake, client, channel } = await setup();
    const heard = heardCreates(client);
    const first = await channel.send({ content: "the answer", nonce: "detail-1", enforceNonce: true });
    const again = await channel.send({ content: "the answer", nonce: "detail-1", enforceNonce: true });
    expect(again.id).toBe(first.id);
    const [firstCall, secondCall] = createCalls(fake);
    expect(secondCall?.status).toBe(200);
    expect(secondCall?.response).toEqual(firstCall?.response);
    const marker = await flushGateway(channel, heard);
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toEqual([first.id, marker]);
    expect(heard).toEqual([first.id, marker]);
    expect(fake.message(fake.channelId, first.id)?.nonce).toBe("detail-1");
  });

  it("matches on author and nonce only: the same nonce in another channel answers the first message", async () => {
    const { fake, client, channel } = await setup();
    const other = fake.guilds[0]?.channels.find((c) => c.type === 0 && c.id !== fake.channelId);
    if (!other) throw new Error("the default guild has a second text channel");
    const first = await channel.send({ content: "here", nonce: "n-1", enforceNonce: true });
    const answered = (await client.rest.post(Routes.channelMessages(other.id), { body: { content: "there", nonce: "n-1", enforce_nonce: true } })) as { id: string; channel_id: string };
    expect(answered).toMatchObject({ id: first.id, channel_id: fake.channelId });
    expect(fake.messagesIn(other.id)).toEqual([]);
  });

  it("creates a new message when enforce_nonce is absent, or once the window has passed", async () => {
    const { fake, channel } = await setup();
    const plain = [await channel.send({ content: "a", nonce: "same" }), await channel.send({ content: "a", nonce: "same" })];
    expect(new Set(plain.map((m) => m.id)).size).toBe(2);
    const enforced = await channel.send({ content: "b", nonce: "later", enforceNonce: true });
    fake.advanceTime(NONCE_WINDOW_MS + 1);
    const afterWindow = await channel.send({ content: "b", nonce: "later", enforceNonce: true });
    expect(afterWindow.id).not.toBe(enforced.id);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(4);
  });

  it("takes an integer nonce", async () => {
    const { fake, channel } = await setup();
    const first = await channel.send({ content: "n", nonce: 1234567890, enforceNonce: true });
    const again = await channel.send({ content: "n", nonce: 1234567890, enforceNonce: true });
    expect(again.id).toBe(first.id);
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });

  it("does not make a deleted message again: 404 10008 Unknown Message", async () => {
    const { fake, channel } = await setup();
    const first = await channel.send({ content: "gone soon", nonce: "del", enforceNonce: true });
    fake.deleteMessage(fake.channelId, first.id);
    const error = await channel.send({ content: "gone soon", nonce: "del", enforceNonce: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 404, code: 10008 });
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
  });
});

describe("nonce validation", () => {
  const post = (client: Client, channelId: string, nonce: unknown) =>
    client.rest.post(Routes.channelMessages(channelId), { body: { content: "x", nonce, enforce_nonce: true } }).catch((e: unknown) => e);

  it("takes a string of 25 characters and refuses 26 with 400 50035 NONCE_TYPE_TOO_LONG", async () => {
    const { fake, client } = await setup();
    expect(await post(client, fake.channelId, "a".repeat(25))).toMatchObject({ nonce: "a".repeat(25) });
    const error = await post(client, fake.channelId, "a".repeat(26));
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035, rawError: { errors: { nonce: { _errors: [{ code: "NONCE_TYPE_TOO_LONG", message: "Must be 25 or fewer characters long." }] } } } });
    expect(fake.messagesIn(fake.channelId)).toHaveLength(1);
  });

  it.each([[true], [1.5], [{}], [["a"]]])("refuses %j with 400 50035 NONCE_TYPE_INVALID_TYPE", async (nonce) => {
    const { fake, client } = await setup();
    const error = await post(client, fake.channelId, nonce);
    expect(error).toMatchObject({ status: 400, code: 50035, rawError: { errors: { nonce: { _errors: [{ code: "NONCE_TYPE_INVALID_TYPE", message: "This field must be a string or integer." }] } } } });
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
  });
});

describe("a create applied whose answer is lost (failNext afterApplying)", () => {
  it("without a nonce, discord.js's resend after the 502 posts the message twice: the danger", async () => {
    const { fake, channel } = await setup();
    fake.failNext("createMessage", { status: 502, afterApplying: true });
    await channel.send("once, I hoped");
    expect(createCalls(fake).map((call) => [call.status, call.fault ?? false])).toEqual([
      [502, true],
      [200, false],
    ]);
    expect(fake.messagesIn(fake.channelId).map((m) => m.content)).toEqual(["once, I hoped", "once, I hoped"]);
  });

  it("with a nonce and enforce_nonce, the resend answers the message already made: one copy, one MESSAGE_CREATE", async () => {
    const { fake, client, channel } = await setup();
    const heard = heardCreates(client);
    fake.failNext("createMessage", { status: 502, afterApplying: true });
    const sent = await channel.send({ content: "once", nonce: "retry-safe", enforceNonce: true });
    expect(createCalls(fake).map((call) => call.status)).toEqual([502, 200]);
    const marker = await flushGateway(channel, heard);
    expect(fake.messagesIn(fake.channelId).map((m) => m.id)).toEqual([sent.id, marker]);
    expect(heard).toEqual([sent.id, marker]);
  });

  it("every attempt lost: discord.js gives up with an HTTPError, and the message exists once", async () => {
    const { fake, channel } = await setup();
    fake.failNext("createMessage", { status: 503, afterApplying: true, times: 4 });
    const error = await channel.send({ content: "made, never confirmed", nonce: "lost", enforceNonce: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect(createCalls(fake)).toHaveLength(4);
    expect(fake.messagesIn(fake.channelId).map((m) => m.content)).toEqual(["made, never confirmed"]);
  });

  it("a refused call stays refused, but its answer is lost all the same", async () => {
    const { fake, channel } = await setup();
    fake.failNext("createMessage", { status: 500, afterApplying: true });
    // Empty: Discord refuses it (50006) and creates nothing; the retry gets that refusal.
    const error = await channel.send({ content: "", nonce: "empty", enforceNonce: true }).catch((e: unknown) => e);
    expect(createCalls(fake).map((call) => call.status)).toEqual([500, 400]);
    expect(error).toMatchObject({ status: 400, code: 50006 });
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
  });

  it("is for 5xx only: Discord refuses with a 4xx before it writes anything", async () => {
    const { fake } = await setup();
    expect(() => fake.failNext("createMessage", { status: 403, afterApplying: true })).toThrow(/afterApplying needs a 5xx/);
  });
});
