import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { png } from "../../test-support/file-fixtures.js";
import { chatsSince, requestMark } from "../../test-support/model-chats.js";
import { FILE_TEST_COUNCIL, IMAGE_DESCRIPTION, SEEING_MODEL } from "../../test-support/test-council.js";
import { BOT_TOKEN, type SlackWorld, startSlackWorld } from "./slack-world.js";

// Files on Slack, end to end: files shared with a mention, a DM or a thread follow-up, fetched
// from the fake's files-pri with the bot token by the real Bolt app, read, and put before the
// real engine in front of the fake Ollama; each refusal an ephemeral message, with nothing run.

const NOTE = "The launch code is PURPLE-OTTER-42.\n";
const MAX_BYTES = 64 * 1024;

const isFinal = (call: RecordedCall) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));
const cardText = (call: RecordedCall) => JSON.stringify(call.args.blocks ?? call.args.text ?? "");

async function finished(world: SlackWorld, since: number): Promise<RecordedCall> {
  const final = await world.slack.waitForCall((call) => call.id > since && isFinal(call), 30_000);
  await expect.poll(() => world.councils.inFlight(), { timeout: 10_000 }).toBe(0);
  return final;
}

/** The ephemeral refusal to the asker; nothing was posted in the channel. */
async function ephemeralRefusal(world: SlackWorld, since: number): Promise<string> {
  const told = await world.slack.waitForCall((call) => call.id > since && call.method === "chat.postEphemeral", 10_000);
  expect(told.args.user).toBe("U0USER001");
  expect(world.slack.calls.some((call) => call.id > since && call.method === "chat.postMessage")).toBe(false);
  return String(told.args.text);
}

describe("Slack files, with a member that can see", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ testCouncil: FILE_TEST_COUNCIL, env: { COUNCIL_PRESET: "sight", FILE_MAX_BYTES: String(MAX_BYTES) } });
  });
  afterAll(() => world.close());

  let threadTs = "";

  it("reads a file shared with the mention, with the bot token, into every member's prompt and the chairman's, and shows it on the card", async () => {
    const { slack } = world;
    const mark = requestMark(world.council.fake);
    const since = slack.calls.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> What does the note say?`, files: [{ name: "note.txt", data: NOTE, mimetype: "text/plain" }] });
    await slack.sendEvent(mention);
    const final = await finished(world, since);
    expect(cardText(final)).toContain("note.txt");
    expect(slack.downloads.map((download) => [download.authorization, download.status])).toEqual([[`Bearer ${BOT_TOKEN}`, 200]]);
    const chats = chatsSince(world.council.fake, mark);
    for (const model of [SEEING_MODEL, "member-a", "chair"]) {
      expect(chats.some((chat) => chat.model === model && chat.prompt.includes("PURPLE-OTTER-42")), model).toBe(true);
    }
    threadTs = mention.event.ts;
  });

  it("keeps the file for a follow-up in the thread, from the record", async () => {
    const { slack } = world;
    const mark = requestMark(world.council.fake);
    const downloads = slack.downloads.length;
    const since = slack.calls.length;
    await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> And the code again?`, threadTs }));
    await finished(world, since);
    const members = chatsSince(world.council.fake, mark).filter((chat) => chat.model.startsWith("member-"));
    expect(members.some((chat) => chat.prompt.includes("PURPLE-OTTER-42"))).toBe(true);
    expect(slack.downloads.length).toBe(downloads);
  });

  it("sends an image shared in a DM to the member that can see, and its description to the other", async () => {
    const { slack } = world;
    const image = png(8, 8);
    const mark = requestMark(world.council.fake);
    const since = slack.calls.length;
    await slack.sendEvent(slack.directMessage({ text: "What is in the picture?", files: [{ name: "square.png", data: image, mimetype: "image/png" }] }));
    const final = await finished(world, since);
    expect(cardText(final)).toContain("square.png");
    const chats = chatsSince(world.council.fake, mark);
    expect(chats.some((chat) => chat.model === SEEING_MODEL && chat.images.includes(Buffer.from(image).toString("base64")))).toBe(true);
    const blind = chats.filter((chat) => chat.model === "member-a");
    expect(blind.length).toBeGreaterThan(0);
    for (const chat of blind) expect(chat.images).toEqual([]);
    expect(blind[0]?.prompt).toContain(IMAGE_DESCRIPTION);
  });

  it.each([
    ["too large", { name: "big.txt", data: "x".repeat(MAX_BYTES + 1) }, /big\.txt.*64 KB/],
    ["of a kind it does not read", { name: "data.bin", data: new Uint8Array([0, 1, 2, 3, 0, 255, 0, 7]) }, /data\.bin/],
  ])("refuses a file %s in an ephemeral message, and runs nothing", async (_what, file, message) => {
    const { slack } = world;
    const mark = requestMark(world.council.fake);
    const since = slack.calls.length;
    await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> What is this?`, files: [file] }));
    expect(await ephemeralRefusal(world, since)).toMatch(message);
    expect(chatsSince(world.council.fake, mark)).toEqual([]);
  });

  it("refuses a file whose link is not on Slack's file hosts without fetching it (the token goes nowhere else)", async () => {
    const { slack } = world;
    const downloads = slack.downloads.length;
    const since = slack.calls.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> Read this`, files: [{ name: "elsewhere.txt", data: NOTE }] });
    for (const file of mention.event.files ?? []) file.url_private_download = "http://127.0.0.1:9/elsewhere.txt";
    await slack.sendEvent(mention);
    expect(await ephemeralRefusal(world, since)).toMatch(/only reads files stored by Slack/);
    expect(slack.downloads.length).toBe(downloads);
  });

  it("names a shared file that comes without a link, rather than leaving it out", async () => {
    const { slack } = world;
    const mark = requestMark(world.council.fake);
    const since = slack.calls.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> Read this`, files: [{ name: "partner.pdf", data: NOTE }] });
    for (const file of mention.event.files ?? []) {
      delete file.url_private_download;
      delete file.url_private;
    }
    await slack.sendEvent(mention);
    expect(await ephemeralRefusal(world, since)).toContain('"partner.pdf"');
    expect(chatsSince(world.council.fake, mark)).toEqual([]);
  });
});

describe("Slack files, with no member that can see", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ env: { COUNCIL_PRESET: "pair" } });
  });
  afterAll(() => world.close());

  it("refuses an image in an ephemeral message, and runs nothing", async () => {
    const { slack } = world;
    const mark = requestMark(world.council.fake);
    const since = slack.calls.length;
    await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> What is in the picture?`, files: [{ name: "square.png", data: png(8, 8), mimetype: "image/png" }] }));
    expect(await ephemeralRefusal(world, since)).toMatch(/see|vision|image/i);
    expect(chatsSince(world.council.fake, mark)).toEqual([]);
  });
});
