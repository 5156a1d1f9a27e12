// Slack's message limits: 50 blocks, section text 3000 (and not empty), top-level text 40,000,
// markdown blocks 12,000 in all, no_text for an empty message; errors as Slack gives them, and
// nothing stored.
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { BOT_TOKEN, quietLogger, useFakeSlack } from "./test-helpers.js";
import type { FakeSlack } from "./types.js";
import { LIMITS } from "./validation.js";

const harness = useFakeSlack();

function client(fake: FakeSlack): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger() });
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

type ErrorData = Record<string, unknown> & { error?: string; errors?: string[]; response_metadata?: { messages?: string[] } };

async function failure(promise: Promise<unknown>): Promise<ErrorData | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as webApi.WebAPIPlatformError).data as unknown as ErrorData;
  }
}

describe("blocks", () => {
  it("refuses 51 blocks with invalid_blocks and Slack's reason; 50 pass", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const data = await failure(slack.chat.postMessage({ channel: fake.channelId, text: "x", blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) }));
    expect(data).toMatchObject({ ok: false, error: "invalid_blocks", errors: ["no more than 50 items allowed [json-pointer:/blocks]"] });
    expect(data?.response_metadata?.messages).toEqual(["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"]);
    expect(fake.messagesIn(fake.channelId)).toEqual([]);
    await expect(slack.chat.postMessage({ channel: fake.channelId, text: "x", blocks: Array.from({ length: 50 }, () => ({ type: "divider" })) })).resolves.toMatchObject({ ok: true });
  });

  it("refuses a section text over 3000 characters (and an empty one); 3000 pass", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const long = await failure(slack.chat.postMessage({ channel: fake.channelId, text: "x", blocks: [section("ok"), section("a".repeat(3001))] }));
    expect(long).toMatchObject({ error: "invalid_blocks", errors: ["must be less than 3001 characters [json-pointer:/blocks/1/text/text]"] });
    const empty = await failure(slack.chat.postMessage({ channel: fake.channelId, text: "x", blocks: [section("")] }));
    expect(empty).toMatchObject({ error: "invalid_blocks", errors: ["must be more than 0 characters [json-pointer:/blocks/0/text/text]"] });
    await expect(slack.chat.postMessage({ channel: fake.channelId, text: "x", blocks: [section("a".repeat(LIMITS.sectionText))] })).resolves.toMatchObject({ ok: true });
  });

  it("checks chat.update the same way and leaves the message as it was", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const { ts = "" } = await slack.chat.postMessage({ channel: fake.channelId, text: "v0", blocks: [section("v0")] });
    const data = await failure(slack.chat.update({ channel: fake.channelId, ts, text: "v1", blocks: [section("a".repeat(3001))] }));
    expect(data?.error).toBe("invalid_blocks");
    expect(fake.message(fake.channelId, ts)).toMatchObject({ text: "v0", update_count: 0 });
  });

  it("refuses markdown blocks over 12,000 characters in all, a header over 150, 11 context elements and duplicate block_ids", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    const post = (blocks: Record<string, unknown>[]) => failure(slack.apiCall("chat.postMessage", { channel: fake.channelId, text: "x", blocks }));
    expect((await post([{ type: "markdown", text: "a".repeat(6001) }, { type: "markdown", text: "a".repeat(6000) }]))?.errors).toEqual([
      "cumulative markdown text must be less than 12001 characters [json-pointer:/blocks]",
    ]);
    expect((await post([{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }]))?.error).toBe("invalid_blocks");
    expect((await post([{ type: "context", elements: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "c" })) }]))?.error).toBe("invalid_blocks");
    expect((await post([{ ...section("a"), block_id: "b" }, { ...section("b"), block_id: "b" }]))?.errors).toEqual(["duplicate block_id [json-pointer:/blocks/1/block_id]"]);
    expect(await post([{ type: "markdown", text: "a".repeat(12_000) }])).toBeUndefined();
  });

  it("answers invalid_blocks_format for blocks that are not an array", async () => {
    const fake = await harness.start();
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { Authorization: `Bearer ${BOT_TOKEN}` },
      body: new URLSearchParams({ channel: fake.channelId, text: "x", blocks: "{not json" }),
    });
    expect(await response.json()).toEqual({ ok: false, error: "invalid_blocks_format" });
  });
});

describe("text", () => {
  it("refuses top-level text over 40,000 characters with msg_too_long; 40,000 pass", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    expect((await failure(slack.chat.postMessage({ channel: fake.channelId, text: "a".repeat(40_001) })))?.error).toBe("msg_too_long");
    await expect(slack.chat.postMessage({ channel: fake.channelId, text: "a".repeat(LIMITS.text) })).resolves.toMatchObject({ ok: true });
  });

  it("answers no_text for a message with nothing to show", async () => {
    const fake = await harness.start();
    const slack = client(fake);
    expect((await failure(slack.chat.postMessage({ channel: fake.channelId, text: "" })))?.error).toBe("no_text");
    expect((await failure(slack.chat.postMessage({ channel: fake.channelId, text: "", blocks: [] })))?.error).toBe("no_text");
  });

  it("gives blocks without a block_id one of Slack's own, keeping the ones sent", async () => {
    const fake = await harness.start();
    const result = await client(fake).chat.postMessage({ channel: fake.channelId, text: "x", blocks: [section("a"), { ...section("b"), block_id: "mine" }] });
    const blocks = result.message?.blocks ?? [];
    expect(blocks[0]?.block_id).toMatch(/^\w+$/);
    expect(blocks[1]?.block_id).toBe("mine");
  });
});
