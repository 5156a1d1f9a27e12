import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeDiscord, FakeMessage, RecordedCall } from "../../test-support/fake-discord/index.js";
import { type DiscordWorld, startDiscordWorld } from "./discord-world.js";

// Discord made the message, then the answer was lost (a 502 from its edge): discord.js sends the
// same request again by itself, and the thread must still hold the message once.

const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);
const withFile = (call: RecordedCall) => call.files.some((file) => file.name === "timeline.png");
const contentOf = (body: unknown) => String((body as { content?: string } | undefined)?.content ?? "");

/** What a reader of the thread tells messages apart by: the text and the files' names. */
const looks = (message: FakeMessage) => JSON.stringify([message.content, message.attachments.map((file) => file.filename)]);

/**
 * Waits for the council asked after `mark` to be over, down to its timeline (posted last), so
 * the next test counts only its own calls.
 */
async function councilShown(world: DiscordWorld, mark: number): Promise<void> {
  await world.discord.waitForCall(after(mark)((call) => call.route === "createMessage" && withFile(call) && !call.fault), 20_000);
  await expect.poll(() => world.councils.inFlight()).toBe(0);
}

/** Runs a council whose thread gets `fault` on its first post matching `target`; resolves with the thread and the faulted call. */
async function councilWithLostAnswer(world: DiscordWorld, target: (call: RecordedCall) => boolean) {
  const { discord } = world;
  const mark = discord.calls.length;
  discord.failNext((call) => call.route === "createMessage" && target(call), { status: 502, afterApplying: true });
  await world.ask("Why is the sky blue?", { preset: "pair" });
  const thread = await discord.waitForCall(after(mark)((call) => call.route === "startThreadFromMessage"));
  const threadId = (thread.response as { id: string }).id;
  await councilShown(world, mark);
  const faulted = discord.calls.slice(mark).find((call) => call.fault);
  if (!faulted) throw new Error("the scripted fault was never hit");
  return { threadId, faulted, calls: discord.calls.slice(mark) };
}

function expectOneCopyEach(discord: FakeDiscord, threadId: string): FakeMessage[] {
  const messages = discord.messagesIn(threadId);
  expect(messages.length).toBeGreaterThan(2);
  expect(new Set(messages.map(looks)).size).toBe(messages.length);
  return messages;
}

describe("a post Discord made whose answer was lost", () => {
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld();
  });
  afterAll(() => world.close());

  it("a detail in the thread: discord.js sends it again and the thread holds it once", async () => {
    const { discord } = world;
    const { threadId, faulted, calls } = await councilWithLostAnswer(world, (call) => !withFile(call));
    expect(faulted).toMatchObject({ status: 502, params: { channelId: threadId } });
    // The resend, answered with the message Discord had made.
    const resend = calls.find((call) => call.id > faulted.id && call.route === "createMessage" && contentOf(call.body) === contentOf(faulted.body));
    expect(resend?.status).toBe(200);
    const messages = expectOneCopyEach(discord, threadId);
    expect(messages.filter((message) => message.content === contentOf(faulted.body))).toHaveLength(1);
  });

  it("the timeline, an upload: discord.js sends it again and the thread shows one picture", async () => {
    const { discord } = world;
    const { threadId, faulted, calls } = await councilWithLostAnswer(world, withFile);
    expect(faulted).toMatchObject({ status: 502, params: { channelId: threadId } });
    expect(calls.filter(withFile).map((call) => call.status)).toEqual([502, 200]);
    const messages = expectOneCopyEach(discord, threadId);
    expect(messages.filter((message) => message.attachments.some((file) => file.filename === "timeline.png"))).toHaveLength(1);
  });

  it("the thread itself: discord.js's resend meets 'already created', and the details go in the thread Discord made", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    discord.failNext("startThreadFromMessage", { status: 502, afterApplying: true });
    const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });
    await councilShown(world, mark);
    const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
    expect(discord.calls.slice(mark).filter((call) => call.route === "startThreadFromMessage").map((call) => [call.status, (call.response as { code?: number }).code])).toEqual([
      [502, 0],
      [400, 160004],
    ]);
    // One thread, on the card, holding every detail; nothing but the card in the channel.
    expect(discord.threads.filter((thread) => thread.id === cardId)).toHaveLength(1);
    expect(expectOneCopyEach(discord, cardId).at(-1)?.attachments.map((file) => file.filename)).toEqual(["timeline.png"]);
    expect(discord.calls.slice(mark).filter((call) => call.route === "createMessage").every((call) => call.params.channelId === cardId)).toBe(true);
    expect(discord.messagesIn(discord.channelId).filter((message) => BigInt(message.id) >= BigInt(cardId)).map((message) => message.id)).toEqual([cardId]);
  });

  it("each post carries its own nonce, the same on the resend, with enforce_nonce", async () => {
    const { discord } = world;
    const { threadId, faulted, calls } = await councilWithLostAnswer(world, (call) => !withFile(call));
    const nonces = calls
      .filter((call) => call.route === "createMessage" && call.params.channelId === threadId)
      .map((call) => call.body as { nonce?: unknown; enforce_nonce?: unknown });
    expect(nonces.every((body) => typeof body.nonce === "string" && body.nonce.length <= 25 && body.enforce_nonce === true)).toBe(true);
    // One more call than messages: the resend of the faulted post, with its nonce.
    const distinct = new Set(nonces.map((body) => body.nonce));
    expect(distinct.size).toBe(nonces.length - 1);
    expect(nonces.filter((body) => body.nonce === (faulted.body as { nonce?: unknown }).nonce)).toHaveLength(2);
    expect(discord.messagesIn(threadId)).toHaveLength(distinct.size);
  });
});
