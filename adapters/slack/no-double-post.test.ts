import { describe, expect, it, vi } from "vitest";
import type { FakeSlackMessage, RecordedCall } from "../../test-support/fake-slack/index.js";
import { fetchRefusing } from "../../test-support/fake-slack/refused-fetch.js";
import { TIMELINE_CAPTION } from "../shared/timeline-image.js";
import { CARD_UNCONFIRMED_NOTE } from "./show-council.js";
import { startSlackWorld } from "./slack-world.js";

// "It never double-posts": the real bot against the fake Slack when Slack writes a post and its
// answer is lost (failNext's afterApplying: the message is in the thread, the bot gets a 500).
// web-api would send the post again; the bot's posts are sent again only when they never
// reached Slack (a refused connection).

const QUESTION = "Why is the sky blue?";
const isFinal = (call: RecordedCall) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));
const isPost = (text: string) => (call: RecordedCall) => call.method === "chat.postMessage" && String(call.args.text ?? "").includes(text);
/** The bot's messages in a thread, by their notification text. */
const botTexts = (thread: FakeSlackMessage[]) => thread.filter((message) => message.source === "api").map((message) => message.text);
const duplicates = (texts: string[]) => texts.filter((text, index) => texts.indexOf(text) !== index);
const CARD_TEXT = `${QUESTION} ·`;
const DETAIL_TEXT = "Alpha's answer";
const VERDICT_TEXT = "Answer by the chairman";

describe("a post Slack wrote whose answer was lost", () => {
  it("leaves one card and one copy of each detail, and the council goes on without its card, saying so", async () => {
    const world = await startSlackWorld();
    try {
      const { slack, council } = world;
      slack.failNext(isPost(CARD_TEXT), { status: 500, afterApplying: true });
      slack.failNext(isPost(DETAIL_TEXT), { status: 500, afterApplying: true });
      const mention = slack.appMention({ text: `<@${slack.botUserId}> ${QUESTION}` });
      await slack.sendEvent(mention);
      await slack.waitForCall((call) => call.method === "files.completeUploadExternal", 30_000);
      await world.councils.drain(20_000);

      const texts = botTexts(slack.thread(mention.event.channel, mention.event.ts));
      expect(duplicates(texts)).toEqual([]);
      expect(texts.filter((text) => text.startsWith(CARD_TEXT))).toHaveLength(1);
      expect(texts.filter((text) => text === CARD_UNCONFIRMED_NOTE)).toHaveLength(1);
      expect(texts.filter((text) => text.includes(DETAIL_TEXT))).toHaveLength(1);
      expect(texts.some((text) => text.includes(VERDICT_TEXT))).toBe(true);
      expect(texts.at(-1)).toBe(TIMELINE_CAPTION);
      // Each faulted post was sent once; the card it has no ts for is never edited.
      expect(slack.callsTo("chat.postMessage").filter((call) => call.fault).map((call) => call.status)).toEqual([500, 500]);
      expect(slack.callsTo("chat.postMessage").filter(isPost(CARD_TEXT))).toHaveLength(1);
      expect(slack.callsTo("chat.update")).toEqual([]);
      expect(slack.ephemerals).toEqual([]);
      expect(council.logs.text()).toContain("Slack did not confirm the council's card");
    } finally {
      await world.close();
    }
  });

  it("leaves one copy of a detail and of the timeline, and the card reaches its final state", async () => {
    const world = await startSlackWorld();
    try {
      const { slack } = world;
      slack.failNext(isPost(DETAIL_TEXT), { status: 502, afterApplying: true });
      slack.failNext("files.completeUploadExternal", { status: 503, afterApplying: true });
      const mention = slack.appMention({ text: `<@${slack.botUserId}> ${QUESTION}` });
      await slack.sendEvent(mention);
      await slack.waitForCall(isFinal, 30_000);
      await slack.waitForCall((call) => call.method === "files.completeUploadExternal", 30_000);
      await world.councils.drain(20_000);

      const thread = slack.thread(mention.event.channel, mention.event.ts);
      const texts = botTexts(thread);
      expect(duplicates(texts)).toEqual([]);
      expect(texts.filter((text) => text.startsWith(CARD_TEXT))).toHaveLength(1);
      expect(texts.filter((text) => text.includes(DETAIL_TEXT))).toHaveLength(1);
      expect(thread.filter((message) => message.files !== undefined)).toHaveLength(1);
      expect(slack.callsTo("files.completeUploadExternal")).toHaveLength(1);
    } finally {
      await world.close();
    }
  });
});

describe("/council's first message, written but its answer lost", () => {
  it("is there once, and the asker is told privately that the council did not start", async () => {
    const world = await startSlackWorld();
    try {
      const { slack } = world;
      slack.failNext(isPost("asked the council"), { status: 500, afterApplying: true });
      await slack.sendSlashCommand({ text: QUESTION });
      const told = await slack.waitForResponse((post) => post.command?.command === "/council", 20_000);
      expect(told.responseType).toBe("ephemeral");
      expect(JSON.stringify(told.body)).toContain("Slack did not confirm the council's first message, so the council did not start");
      await world.councils.drain(20_000);
      expect(botTexts(slack.messagesIn(slack.channelId)).filter((text) => text.includes(`asked the council: ${QUESTION}`))).toHaveLength(1);
      expect(slack.callsTo("chat.postMessage")).toHaveLength(1);
    } finally {
      await world.close();
    }
  });
});

describe("a post that never reached Slack", () => {
  it("is sent again: the card whose connection was refused is posted once and the council completes", async () => {
    // The bot's WebClients take globalThis.fetch when they are built.
    const refusing = await fetchRefusing((url) => url.endsWith("/api/chat.postMessage"));
    vi.stubGlobal("fetch", refusing.fetch);
    const world = await startSlackWorld().finally(() => vi.unstubAllGlobals());
    try {
      const { slack } = world;
      const mention = slack.appMention({ text: `<@${slack.botUserId}> ${QUESTION}` });
      await slack.sendEvent(mention);
      await slack.waitForCall(isFinal, 30_000);
      await world.councils.drain(20_000);
      expect(refusing.refused).toBe(1);
      const texts = botTexts(slack.thread(mention.event.channel, mention.event.ts));
      expect(duplicates(texts)).toEqual([]);
      expect(texts.filter((text) => text.startsWith(CARD_TEXT))).toHaveLength(1);
      expect(texts.some((text) => text.includes(VERDICT_TEXT))).toBe(true);
    } finally {
      await world.close();
    }
  });
});
