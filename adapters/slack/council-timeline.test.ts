import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "../../test-support/fake-slack/index.js";
import { TIMELINE_CAPTION } from "../shared/timeline-image.js";
import { type SlackWorld, startSlackWorld } from "./slack-world.js";

// The image each council's thread ends with on Slack: its model calls by stage, uploaded into
// the thread after the card's final state.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isFinal = (call: RecordedCall) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? ""));
const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);

describe("the timeline at a council's end", () => {
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld();
  });
  afterAll(() => world.close());

  it("is uploaded into the council's thread, once, after the card's final state", async () => {
    const { slack } = world;
    const mark = slack.calls.length;
    const files = slack.files.length;
    const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
    await slack.sendEvent(mention);
    const completed = await slack.waitForCall(after(mark)((call) => call.method === "files.completeUploadExternal"), 20_000);
    expect(completed).toMatchObject({ ok: true, args: { channel_id: mention.event.channel, thread_ts: mention.event.ts, initial_comment: TIMELINE_CAPTION } });
    expect(slack.calls.slice(mark).find(isFinal)?.id).toBeLessThan(completed.id);
    const [file] = slack.files.slice(files);
    // "trio": three answers (the broken member's failed call among them), two ballots, the chairman's two reads ahead and its answer.
    expect(file).toMatchObject({ name: "timeline.png", title: "Timeline", altText: "Timeline of the council's 8 model calls by stage." });
    expect(Buffer.from(file?.data ?? []).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(slack.thread(mention.event.channel, mention.event.ts).at(-1)).toMatchObject({ text: TIMELINE_CAPTION, files: [expect.objectContaining({ name: "timeline.png" })] });
  });
});

describe("a timeline Slack refuses", () => {
  it("is logged, not retried, and the thread keeps the council as shown", async () => {
    const world = await startSlackWorld();
    try {
      const { slack, council } = world;
      slack.failNext("files.completeUploadExternal", { error: "internal_error" });
      const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
      await slack.sendEvent(mention);
      await slack.waitForCall(isFinal, 20_000);
      await world.councils.drain(20_000);
      expect(council.logs.text()).toContain("the council's timeline could not be posted");
      expect(slack.callsTo("files.completeUploadExternal")).toHaveLength(1);
      expect(slack.thread(mention.event.channel, mention.event.ts).some((message) => message.files)).toBe(false);
    } finally {
      await world.close();
    }
  });
});

describe("COUNCIL_TIMELINE=off", () => {
  it("ends the thread without a timeline", async () => {
    const world = await startSlackWorld({ env: { COUNCIL_TIMELINE: "off" } });
    try {
      const { slack } = world;
      await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` }));
      await slack.waitForCall(isFinal, 20_000);
      await world.councils.drain(20_000);
      expect(slack.callsTo("chat.postMessage").some((call) => String(call.args.text).includes("Answer by the chairman"))).toBe(true);
      expect(slack.callsTo("files.getUploadURLExternal")).toEqual([]);
    } finally {
      await world.close();
    }
  });
});
