import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeDiscord, RecordedCall } from "../../test-support/fake-discord/index.js";
import { TIMELINE_CAPTION } from "../shared/timeline-image.js";
import { type DiscordWorld, isFinalCard, startDiscordWorld } from "./discord-world.js";

// The image each council's thread ends with: its model calls by stage, after the final card.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);
const withFile = (call: RecordedCall) => call.files.some((file) => file.name === "timeline.png");

/** The bytes of the last timeline posted in a channel or thread (private follow-ups included). */
function timelinePng(discord: FakeDiscord, channelId: string): Buffer {
  const attachment = discord
    .messagesIn(channelId)
    .flatMap((message) => message.attachments)
    .findLast((candidate) => candidate.filename === "timeline.png");
  return Buffer.from(discord.attachmentData(attachment?.id ?? "") ?? []);
}

describe("the timeline at a council's end", () => {
  let world: DiscordWorld;
  beforeAll(async () => {
    world = await startDiscordWorld();
  });
  afterAll(() => world.close());

  it("comes last in the thread, once, after the card's final state", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    await world.ask("Why is the sky blue?", { preset: "pair" });
    const thread = await discord.waitForCall(after(mark)((call) => call.route === "startThreadFromMessage"));
    const threadId = (thread.response as { id: string }).id;
    const posted = await discord.waitForCall(after(mark)((call) => call.route === "createMessage" && withFile(call)), 20_000);
    expect(posted.params.channelId).toBe(threadId);
    expect(posted.status).toBe(200);
    expect((posted.body as { content: string }).content).toBe(TIMELINE_CAPTION);
    const final = discord.calls.slice(mark).find(isFinalCard);
    expect(final?.id).toBeLessThan(posted.id);
    expect(timelinePng(discord, threadId).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const messages = discord.messagesIn(threadId);
    expect(messages.at(-1)?.attachments).toEqual([expect.objectContaining({ filename: "timeline.png", content_type: "image/png", description: "Timeline of the council's 7 model calls by stage." })]);
    await expect.poll(() => world.councils.inFlight()).toBe(0);
    expect(discord.calls.slice(mark).filter(withFile)).toHaveLength(1);
  });

  it("comes privately, as a follow-up only the asker sees, for a private council", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    await world.ask("What is 2 + 2?", { private: true, preset: "pair" });
    const posted = await discord.waitForCall(after(mark)((call) => call.route === "createFollowup" && withFile(call)), 20_000);
    expect((posted.body as { flags?: number }).flags).toBe(64);
    const message = discord.messagesIn(discord.channelId).findLast((candidate) => candidate.attachments.some((file) => file.filename === "timeline.png"));
    expect(message?.flags).toBe(64);
    expect(timelinePng(discord, discord.channelId).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(discord.calls.slice(mark).some((call) => call.route === "createMessage")).toBe(false);
  });

  it("is logged, not retried, when Discord refuses it, and the council still ends as shown", async () => {
    const { discord, council } = world;
    const mark = discord.calls.length;
    // A channel that lets the bot write but not attach files.
    discord.failNext((call) => call.route === "createMessage" && withFile(call), { status: 403, code: 50013 });
    await world.ask("Why is the sky blue?", { preset: "pair" });
    await discord.waitForCall(after(mark)((call) => call.route === "createMessage" && withFile(call)), 20_000);
    await expect.poll(() => council.logs.text()).toContain("the council's timeline could not be posted");
    await expect.poll(() => world.councils.inFlight()).toBe(0);
    expect(discord.calls.slice(mark).filter(withFile)).toHaveLength(1);
    expect(discord.calls.slice(mark).filter(isFinalCard).at(-1)?.status).toBe(200);
  });
});

describe("COUNCIL_TIMELINE=off", () => {
  it("ends the thread with the answer, without a timeline", async () => {
    const world = await startDiscordWorld({ env: { COUNCIL_TIMELINE: "off" } });
    try {
      const { discord } = world;
      await world.ask("Why is the sky blue?", { preset: "pair" });
      await discord.waitForCall(isFinalCard, 20_000);
      // Resolves once every council's showing is over, its last post included.
      await world.councils.drain(20_000);
      expect(discord.calls.some((call) => call.route === "createMessage" && String((call.body as { content?: string }).content).startsWith("**Answer"))).toBe(true);
      expect(discord.calls.some(withFile)).toBe(false);
    } finally {
      await world.close();
    }
  });
});
