import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../test-support/fake-slack/index.js";
import { createFileDownloader } from "../shared/file-download.js";
import { eventFiles, unreadableFiles } from "./shared-files.js";

// Where Slack says the files are, read from the events the fake sends as Slack does, then
// fetched from the fake's file host with the bot token, as the bot will.

const BOT_TOKEN = "xoxb-fake-bot-token-0002";
let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack({ botToken: BOT_TOKEN });
});
afterEach(() => slack.close());

describe("the files shared with a question on Slack", () => {
  it("are the event's files with their url_private_download, name, size and type, and download with the bot token", async () => {
    const mention = slack.appMention({ text: "what do these say?", files: [{ name: "notes.md", data: "# hi\n" }, { name: "a.csv", data: "x,y\n" }] });
    const files = eventFiles(mention.event);
    expect(files).toEqual([
      { name: "notes.md", url: expect.stringMatching(/\/download\/notes\.md$/) as unknown, size: 5, contentType: "text/markdown" },
      { name: "a.csv", url: expect.stringMatching(/\/download\/a\.csv$/) as unknown, size: 4, contentType: "text/csv" },
    ]);
    const downloader = createFileDownloader({ platform: "Slack", allowedOrigins: [slack.url], maxBytes: 1024, timeoutMs: 5000, headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
    const texts = await Promise.all(files.map((file) => downloader.download(file).then((got) => new TextDecoder().decode(got.bytes))));
    expect(texts).toEqual(["# hi\n", "x,y\n"]);
    expect(unreadableFiles(mention.event)).toEqual([]);
  });

  it("come from a DM's file_share message the same way, and are none without files", () => {
    const dm = slack.directMessage({ text: "read this", files: [{ name: "trace.txt", data: "boom" }] });
    expect(eventFiles(dm.event).map((file) => file.name)).toEqual(["trace.txt"]);
    expect(eventFiles(slack.appMention({ text: "no files" }).event)).toEqual([]);
  });

  it("name the files that come without a URL (Slack Connect's check_file_info), instead of dropping them unsaid", () => {
    // As Slack sends a file shared from another organisation: only files.info would tell more.
    const event = { files: [{ id: "F12345678", mode: "file_access", file_access: "check_file_info", created: 0, timestamp: 0, user: "" }, { id: "F2", name: "ok.txt", size: 2, url_private_download: "https://files.slack.com/files-pri/T1-F2/download/ok.txt" }, "junk"] };
    expect(unreadableFiles(event)).toEqual(["a shared file"]);
    expect(eventFiles(event)).toEqual([{ name: "ok.txt", url: "https://files.slack.com/files-pri/T1-F2/download/ok.txt", size: 2 }]);
  });
});
