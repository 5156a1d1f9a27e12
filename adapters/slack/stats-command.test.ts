import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeSlack, ResponseUrlPost } from "../../test-support/fake-slack/index.js";
import { RECORDED_QUESTION, recordStatisticsFixture } from "../../test-support/recorded-statistics.js";
import { type SlackWorld, startSlackWorld } from "./slack-world.js";

// /council-stats through the real Bolt App against the fake Slack, over a store that holds the
// statistics fixture's councils (an hour, two days and twenty days old).

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const USER = "U0USER001";

let world: SlackWorld;
beforeAll(async () => {
  world = await startSlackWorld();
  recordStatisticsFixture(world.db);
});
afterAll(() => world.close());

/** Sends /council-stats with these words and resolves with its first response_url post. */
async function stats(slack: FakeSlack, text: string, channelId?: string): Promise<ResponseUrlPost> {
  const payload = slack.slashCommand({ command: "/council-stats", text, userId: USER, ...(channelId && { channelId }) });
  const envelope = await slack.sendSlashCommand(payload);
  // Acknowledged at once: the figures come later, through the response_url.
  expect(slack.acks.find((ack) => ack.envelopeId === envelope.envelopeId)?.late).toBe(false);
  return slack.waitForResponse((post) => post.id === new URL(payload.response_url).pathname.split("/").at(-1), 15_000);
}

const textOf = (post: ResponseUrlPost) => String((post.body as { text?: string }).text ?? "");

describe("/council-stats", () => {
  it("answers privately: the words ephemerally, the chart in the asker's DM with the bot", async () => {
    const { slack } = world;
    const files = slack.files.length;
    const response = await stats(slack, "");
    expect(response.responseType).toBe("ephemeral");
    const text = textOf(response);
    expect(text.startsWith("*council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)*\n```\n#")).toBe(true);
    expect(text).toMatch(/\n1 +b:1b +\d+/);
    expect(text).toContain("1670 prompt and 1130 completion tokens in 12 model calls.");
    expect(text).toContain("_I sent you the chart in our direct messages: only you can see it there._");

    const [file] = slack.files.slice(files);
    expect(file).toMatchObject({ name: "council-stats-7d.png", completed: true, title: "council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)" });
    expect(Buffer.from(file?.data ?? []).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(file?.shares.map((share) => share.channel)).toEqual([slack.dmChannelId]);
    expect(slack.messagesIn(slack.channelId).some((message) => message.files)).toBe(false);
    expect(JSON.stringify([response, slack.messagesIn(slack.dmChannelId)])).not.toContain(RECORDED_QUESTION);
  });

  it("says the chart follows when asked in the DM itself", async () => {
    const { slack } = world;
    const response = await stats(slack, "all", slack.dmChannelId);
    expect(textOf(response)).toContain("_The chart follows._");
    expect(slack.files.at(-1)).toMatchObject({ name: "council-stats-all.png", shares: [expect.objectContaining({ channel: slack.dmChannelId })] });
  });

  it("posts the words and the chart as one message in the channel with public", async () => {
    const { slack } = world;
    const payload = slack.slashCommand({ command: "/council-stats", text: "30d quick public", userId: USER });
    await slack.sendSlashCommand(payload);
    await slack.waitForCall((call) => call.method === "files.completeUploadExternal" && call.args.channel_id === slack.channelId, 15_000);
    const message = slack.messagesIn(slack.channelId).findLast((candidate) => candidate.files);
    expect(message?.text).toContain("*council statistics · the last 30 days · preset quick · 1 council (1 failed)*\n```");
    expect(message?.files).toEqual([expect.objectContaining({ name: "council-stats-30d-quick.png", mimetype: "image/png" })]);
    expect(Buffer.from(slack.files.at(-1)?.data ?? []).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(slack.responses.filter((post) => post.command?.command === "/council-stats" && post.id === new URL(payload.response_url).pathname.split("/").at(-1))).toEqual([]);
  });

  it("refuses an unknown period or preset, or too many words, privately with the choices", async () => {
    const { slack } = world;
    const files = slack.files.length;
    const period = await stats(slack, "3d public");
    expect(period.responseType).toBe("ephemeral");
    expect(textOf(period)).toBe('"3d" is not a period the statistics know; use one of: 24h, 7d, 30d, all. Usage: `/council-stats [24h|7d|30d|all] [preset] [public]`, e.g. `/council-stats 30d balanced public`.');
    expect(textOf(await stats(slack, "7d nope public"))).toMatch(/^There is no preset "nope"; the presets are: trio, pair, balanced, quick\. Usage: /);
    expect(textOf(await stats(slack, "7d quick extra words"))).toMatch(/^Too many words \(extra words\)\. Usage: /);
    expect(slack.files.length).toBe(files);
  });

  it("says when the period has no councils, without a chart, where it was asked", async () => {
    const { slack } = world;
    const files = slack.files.length;
    const quiet = await stats(slack, "24h quick");
    expect(quiet.responseType).toBe("ephemeral");
    expect(textOf(quiet)).toBe(
      "*council statistics · the last 24 hours · preset quick · 0 councils*\nNo councils were recorded in the last 24 hours with the preset quick: ask one, or choose a longer period (all).",
    );
    expect((await stats(slack, "24h quick public")).responseType).toBe("in_channel");
    expect(slack.files.length).toBe(files);
  });

  it("still shows the words in the channel when it may not post the chart there, and tells the asker why", async () => {
    const { slack } = world;
    slack.removeBotFrom(slack.channelId);
    try {
      const payload = slack.slashCommand({ command: "/council-stats", text: "public", userId: USER });
      await slack.sendSlashCommand(payload);
      const id = new URL(payload.response_url).pathname.split("/").at(-1);
      const hint = await slack.waitForResponse((post) => post.id === id && post.responseType === "ephemeral", 15_000);
      expect(textOf(hint)).toBe("_The chart could not be posted here: I am not in this channel. Invite me with `/invite @council`._");
      const words = slack.responses.find((post) => post.id === id && post.responseType === "in_channel");
      expect(words && textOf(words)).toContain("*council statistics · the last 7 days");
    } finally {
      slack.addBotTo(slack.channelId);
    }
  });
});

describe("/council-stats before the app was reinstalled with files:write", () => {
  it("gives the words and says an admin must reinstall the app", async () => {
    const old = await startSlackWorld({ scopes: ["app_mentions:read", "chat:write", "commands", "im:history", "im:read", "im:write"] });
    try {
      recordStatisticsFixture(old.db);
      const response = await stats(old.slack, "");
      expect(textOf(response)).toContain("*council statistics · the last 7 days");
      expect(textOf(response)).toContain('_The chart could not be sent to you: the app lacks the files:write scope. An admin must reinstall the app to the workspace (README, "Slack")._');
      expect(old.council.logs.text()).toContain("the statistics chart could not be uploaded");
    } finally {
      await old.close();
    }
  });
});
