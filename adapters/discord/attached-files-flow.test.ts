import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-discord/index.js";
import { png } from "../../test-support/file-fixtures.js";
import { chatsSince, requestMark } from "../../test-support/model-chats.js";
import { FILE_TEST_COUNCIL, IMAGE_DESCRIPTION, SEEING_MODEL } from "../../test-support/test-council.js";
import { cardDescription, type DiscordWorld, isFinalCard, startDiscordWorld } from "./discord-world.js";

// Files on Discord, end to end: /council's file options and a thread mention's attachments,
// fetched from the fake's CDN by the real bot, read, and put before the real engine in front of
// the fake Ollama; each refusal said privately, with nothing run.

const NOTE = "The launch code is PURPLE-OTTER-42.\n";
const MAX_BYTES = 64 * 1024;

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld({ testCouncil: FILE_TEST_COUNCIL, env: { FILE_MAX_BYTES: String(MAX_BYTES) } });
});
afterAll(() => world.close());

const bodyOf = (call: RecordedCall) => call.body as { content?: string; flags?: number; embeds?: unknown[] } | undefined;

/**
 * Waits until the council of this interaction is over: its card final, its seat free, and its
 * timeline posted (the thread's last post, which comes after the seat is freed; a test that
 * counted the next interaction's calls would otherwise see it arrive there).
 */
async function finished(since: number): Promise<RecordedCall> {
  const final = await world.discord.waitForCall((call) => call.id > since && isFinalCard(call), 30_000);
  await expect.poll(() => world.councils.inFlight(), { timeout: 10_000 }).toBe(0);
  await world.discord.waitForCall((call) => call.id > final.id && call.files.some((file) => file.name === "timeline.png"), 30_000);
  return final;
}

/** The private refusal of a /council with files: the deferred reply taken back, the reason said privately. */
async function privateRefusal(since: number): Promise<string> {
  const told = await world.discord.waitForCall((call) => call.id > since && call.route === "createFollowup", 10_000);
  expect(bodyOf(told)?.flags).toBe(64);
  const mine = world.discord.calls.filter((call) => call.id > since);
  expect(mine.map((call) => call.route)).toEqual(["interactionCallback", "deleteOriginal", "createFollowup"]);
  return bodyOf(told)?.content ?? "";
}

describe("/council with files", () => {
  let threadId = "";

  it("puts a document in every member's prompt, the chairman's too, and shows it on the card", async () => {
    const mark = requestMark(world.council.fake);
    const since = world.discord.calls.length;
    await world.ask("What does the note say?", { preset: "pair", files: { file: { name: "note.txt", data: NOTE, contentType: "text/plain" } } });
    const final = await finished(since);
    expect(cardDescription(final)).toContain("note.txt");
    expect(world.discord.downloads.filter((download) => download.path.includes("/note.txt?")).map((download) => download.status)).toEqual([200]);
    const chats = chatsSince(world.council.fake, mark);
    for (const model of ["member-a", "member-b", "chair"]) {
      expect(chats.some((chat) => chat.model === model && chat.prompt.includes("PURPLE-OTTER-42")), model).toBe(true);
    }
    const thread = world.discord.calls.find((call) => call.id > since && call.route === "startThreadFromMessage");
    threadId = (thread?.response as { id: string }).id;
  });

  it("keeps the document for a follow-up in the thread, from the record (not downloaded again)", async () => {
    const mark = requestMark(world.council.fake);
    const downloads = world.discord.downloads.length;
    const since = world.discord.calls.length;
    world.discord.dispatch("MESSAGE_CREATE", world.discord.messageCreate({ channelId: threadId, content: `<@${world.discord.botUserId}> And what was the code again?` }));
    await finished(since);
    const members = chatsSince(world.council.fake, mark).filter((chat) => chat.model.startsWith("member-"));
    expect(members.length).toBeGreaterThan(0);
    expect(members.some((chat) => chat.prompt.includes("PURPLE-OTTER-42"))).toBe(true);
    expect(world.discord.downloads.length).toBe(downloads);
  });

  it("adds a thread mention's attachment to the follow-up", async () => {
    const mark = requestMark(world.council.fake);
    const since = world.discord.calls.length;
    const attachments = [{ name: "app.log", data: "ERROR disk full on /var/lib/council\n", contentType: "text/plain" }];
    world.discord.dispatch("MESSAGE_CREATE", world.discord.messageCreate({ channelId: threadId, content: `<@${world.discord.botUserId}> Why did it stop?`, attachments }));
    const final = await finished(since);
    expect(cardDescription(final)).toContain("app.log");
    const members = chatsSince(world.council.fake, mark).filter((chat) => chat.model.startsWith("member-"));
    expect(members.some((chat) => chat.prompt.includes("ERROR disk full"))).toBe(true);
  });

  it("sends an image to the member that can see, and its description to the one that cannot", async () => {
    const image = png(8, 8);
    const mark = requestMark(world.council.fake);
    const since = world.discord.calls.length;
    await world.ask("What is in the picture?", { preset: "sight", files: { file: { name: "square.png", data: image, contentType: "image/png" } } });
    const final = await finished(since);
    expect(cardDescription(final)).toContain("square.png");
    const chats = chatsSince(world.council.fake, mark);
    const base64 = Buffer.from(image).toString("base64");
    expect(chats.some((chat) => chat.model === SEEING_MODEL && chat.images.includes(base64))).toBe(true);
    const blind = chats.filter((chat) => chat.model === "member-a");
    expect(blind.length).toBeGreaterThan(0);
    for (const chat of blind) expect(chat.images).toEqual([]);
    expect(blind[0]?.prompt).toContain(IMAGE_DESCRIPTION);
  });
});

describe("/council refuses a file privately, and runs nothing", () => {
  it.each([
    ["too large", { name: "big.txt", data: "x".repeat(MAX_BYTES + 1) }, /big\.txt.*64 KB/],
    ["of a kind it does not read", { name: "data.bin", data: new Uint8Array([0, 1, 2, 3, 0, 255, 0, 7]) }, /data\.bin/],
    ["an image with no member that can see", { name: "square.png", data: png(8, 8), contentType: "image/png" }, /see|vision|image/i],
  ])("a file %s", async (_what, file, message) => {
    const mark = requestMark(world.council.fake);
    const since = world.discord.calls.length;
    await world.ask("What is this?", { preset: "pair", files: { file } });
    expect(await privateRefusal(since)).toMatch(message);
    expect(chatsSince(world.council.fake, mark)).toEqual([]);
    expect(world.discord.calls.some((call) => call.id > since && call.route === "startThreadFromMessage")).toBe(false);
  });

  it("a file whose link is not on Discord's file hosts: nothing is fetched", async () => {
    const mark = requestMark(world.council.fake);
    const downloads = world.discord.downloads.length;
    const since = world.discord.calls.length;
    const interaction = world.discord.interactionCommand({ name: "council", options: { question: "Read this" }, attachments: { file: { name: "elsewhere.txt", data: NOTE } } });
    const attachment = Object.values((interaction.data as { resolved: { attachments: Record<string, { url: string }> } }).resolved.attachments)[0];
    if (attachment) attachment.url = "http://127.0.0.1:9/elsewhere.txt";
    world.discord.dispatch("INTERACTION_CREATE", interaction);
    expect(await privateRefusal(since)).toMatch(/only reads files stored by Discord/);
    expect(world.discord.downloads.length).toBe(downloads);
    expect(chatsSince(world.council.fake, mark)).toEqual([]);
  });

  it("a private council's refusal is its own private reply", async () => {
    const since = world.discord.calls.length;
    await world.ask("What is this?", { preset: "pair", private: true, files: { file: { name: "empty.txt", data: "" } } });
    const told = await world.discord.waitForCall((call) => call.id > since && call.route === "editOriginal", 10_000);
    expect(bodyOf(told)?.content).toMatch(/empty\.txt.*empty/);
    const mine = world.discord.calls.filter((call) => call.id > since);
    expect(mine[0]?.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(mine.some((call) => call.route === "deleteOriginal" || call.route === "createFollowup")).toBe(false);
  });

  it("a thread mention's file that cannot be read is answered in the thread, and nothing runs", async () => {
    const first = world.discord.calls.length;
    await world.ask("Start a thread", { preset: "pair" });
    await finished(first);
    const thread = world.discord.calls.find((call) => call.id > first && call.route === "startThreadFromMessage");
    const threadId = (thread?.response as { id: string }).id;
    const mark = requestMark(world.council.fake);
    const since = world.discord.calls.length;
    const asked = world.discord.messageCreate({ channelId: threadId, content: `<@${world.discord.botUserId}> and this?`, attachments: [{ name: "huge.log", data: "y".repeat(MAX_BYTES + 1) }] });
    world.discord.dispatch("MESSAGE_CREATE", asked);
    const reply = await world.discord.waitForCall((call) => call.id > since && call.route === "createMessage" && call.params.channelId === threadId, 10_000);
    expect(bodyOf(reply)?.content).toMatch(/huge\.log/);
    expect((reply.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(asked.id);
    expect(bodyOf(reply)?.embeds).toBeUndefined();
    expect(chatsSince(world.council.fake, mark)).toEqual([]);
  });
});
