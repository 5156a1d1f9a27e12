import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";
import { type FakeSlack, startFakeSlack } from "../../test-support/fake-slack/index.js";
import { freePort } from "../../test-support/free-port.js";
import { createFileDownloader, type FileDownloaderOptions } from "./file-download.js";
import { FileDownloadError } from "./file-download-error.js";
import type { FileReference } from "./file-reference.js";

// The downloader against the fakes' file hosts, which serve files as Discord's CDN and Slack's
// files-pri do and record every download (its Authorization, how many bytes went out, whether
// the body was finished).

const BOT_TOKEN = "xoxb-fake-bot-token-0001";
const MB = 1024 * 1024;

let discord: FakeDiscord;
let slack: FakeSlack;
beforeEach(async () => {
  [discord, slack] = await Promise.all([startFakeDiscord(), startFakeSlack({ botToken: BOT_TOKEN })]);
});
afterEach(async () => {
  await Promise.all([discord.close(), slack.close()]);
});

const fromDiscord = (overrides: Partial<FileDownloaderOptions> = {}) =>
  createFileDownloader({ platform: "Discord", allowedOrigins: [discord.url], maxBytes: MB, timeoutMs: 5_000, ...overrides });
const fromSlack = (overrides: Partial<FileDownloaderOptions> = {}) =>
  createFileDownloader({
    platform: "Slack",
    allowedOrigins: [slack.url],
    maxBytes: MB,
    timeoutMs: 5_000,
    headers: { Authorization: `Bearer ${BOT_TOKEN}` },
    refusedAdvice: "Slack would not give the bot this file: an admin must add the files:read scope and reinstall the app.",
    ...overrides,
  });

/** A file a user attached to a thread message on the fake Discord, as the bot would see it. */
function discordFile(data: Uint8Array | string, name = "notes.txt", extra: { size?: number; contentType?: string } = {}): FileReference {
  const message = discord.messageCreate({ channelId: discord.channelId, content: "see this", attachments: [{ name, data, ...extra }] });
  const [attachment] = message.attachments as { filename: string; url: string; size: number; content_type?: string }[];
  if (!attachment) throw new Error("no attachment");
  return { name: attachment.filename, url: attachment.url, size: attachment.size, ...(attachment.content_type ? { contentType: attachment.content_type } : {}) };
}

function slackFile(data: Uint8Array | string, name = "trace.log"): FileReference {
  const [file] = slack.appMention({ text: "what broke?", files: [{ name, data }] }).event.files ?? [];
  if (!file) throw new Error("no file");
  return { name: String(file.name), url: String(file.url_private_download), size: Number(file.size), contentType: String(file.mimetype) };
}

async function failure(promise: Promise<unknown>): Promise<FileDownloadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileDownloadError);
  return error as FileDownloadError;
}

describe("downloading an attached file", () => {
  it("fetches a Discord attachment from the CDN, with its bytes and type, sending no token", async () => {
    const file = discordFile("line one\nline two\n", "notes.txt", { contentType: "text/plain; charset=utf-8" });
    const downloaded = await fromDiscord().download(file);
    expect(new TextDecoder().decode(downloaded.bytes)).toBe("line one\nline two\n");
    expect(downloaded).toMatchObject({ name: "notes.txt", contentType: "text/plain; charset=utf-8" });
    expect(discord.downloads).toEqual([expect.objectContaining({ status: 200, completed: true })]);
    expect(discord.downloads[0]?.authorization).toBeUndefined();
  });

  it("fetches a Slack file with the bot token", async () => {
    const bytes = new Uint8Array(300 * 1024).map((_, index) => index % 251);
    const downloaded = await fromSlack().download(slackFile(bytes, "dump.bin"));
    expect(downloaded.bytes).toEqual(bytes);
    expect(slack.downloads).toEqual([expect.objectContaining({ status: 200, completed: true, authorization: `Bearer ${BOT_TOKEN}` })]);
  });

  it("refuses a URL off the platform's file hosts without asking anything, so the token goes nowhere else", async () => {
    const elsewhere = discordFile("not Slack's");
    const refused = await failure(fromSlack().download(elsewhere));
    expect(refused.kind).toBe("not-allowed-host");
    expect(refused.message).toBe('The council only reads files stored by Slack, and "notes.txt" is not one of them. Upload the file itself to Slack and ask again.');
    expect(discord.downloads).toEqual([]);
    // The same host on another scheme or port, or with credentials in the URL, is another origin.
    const file = slackFile("x");
    for (const url of [file.url.replace("http:", "https:"), file.url.replace(/:(\d+)\//, (_, port: string) => `:${Number(port) + 1}/`), file.url.replace("http://", "http://user:pw@"), "not a url"]) {
      expect((await failure(fromSlack().download({ ...file, url }))).kind).toBe("not-allowed-host");
    }
    expect(slack.downloads).toEqual([]);
  });

  it("does not follow Slack's redirect to its sign-in page when the token is refused, and says what to do", async () => {
    const file = slackFile("secret");
    const refused = await failure(fromSlack({ headers: { Authorization: "Bearer xoxb-some-other-token" } }).download(file));
    expect(refused).toMatchObject({ kind: "http-status", status: 302, retryable: false });
    expect(refused.message).toContain("an admin must add the files:read scope and reinstall the app");
    // Only the file was asked for: the sign-in page (whose HTML would pass for the file) never was.
    expect(slack.downloads.map((download) => download.status)).toEqual([302]);
  });

  it("refuses a file the platform says is over the cap before asking for it", async () => {
    const refused = await failure(fromDiscord().download(discordFile("small really", "big.pdf", { size: 20 * MB })));
    expect(refused.kind).toBe("too-large");
    expect(refused.message).toBe('"big.pdf" is 20 MB, and the council reads files up to 1 MB. Send a smaller file (or only the part that matters) and ask again.');
    expect(discord.downloads).toEqual([]);
  });

  it("refuses at once a Content-Length over the cap, when the platform's size lied, without reading the body", async () => {
    const file = discordFile(new Uint8Array(8 * MB), "video.mp4", { size: 1000 });
    const refused = await failure(fromDiscord().download(file));
    expect(refused.message).toContain('"video.mp4" is 8 MB');
    await expect.poll(() => discord.downloads[0]?.completed === false && discord.downloads[0].bytesSent < 8 * MB).toBe(true);
  });

  it("cuts a chunked body (no Content-Length) as soon as the bytes pass the cap", async () => {
    const file = slackFile("placeholder");
    slack.failNextDownload({ chunked: true, body: new Uint8Array(50 * MB) });
    const refused = await failure(fromSlack().download(file));
    expect(refused.kind).toBe("too-large");
    expect(refused.message).toContain("is larger than 1 MB");
    // The host was stopped long before the end: a reader that kept going would take all 50 MB.
    await expect.poll(() => slack.downloads[0]?.completed).toBe(false);
    expect(slack.downloads[0]?.bytesSent).toBeLessThan(50 * MB);
  });

  it("never takes more than the cap from a Content-Length that lies low", async () => {
    const file = discordFile("placeholder");
    discord.failNextDownload({ contentLength: 1000, body: new Uint8Array(50 * MB) });
    // HTTP/1.1 framing ends the body at the declared length: the rest is never read as the file.
    expect((await fromDiscord().download(file)).bytes.length).toBe(1000);
    await expect.poll(() => discord.downloads[0]?.completed).toBe(false);
  });

  it("gives up on a body that stalls, once the time allowed has passed", async () => {
    const file = discordFile(new Uint8Array(200 * 1024));
    discord.failNextDownload({ stallAfterBytes: 64 * 1024 });
    const refused = await failure(fromDiscord({ timeoutMs: 300 }).download(file));
    expect(refused).toMatchObject({ kind: "timeout", retryable: true });
    expect(refused.message).toBe('Discord took longer than 1 second to send "notes.txt". Please ask again in a moment.');
    expect(discord.downloads[0]?.completed).toBe(false);
  });

  it("tells an expired or deleted file from a host that failed", async () => {
    const file = discordFile("old");
    discord.advanceTime(24 * 60 * 60_000 + 1);
    const gone = await failure(fromDiscord().download(file));
    expect(gone).toMatchObject({ kind: "http-status", status: 404 });
    expect(gone.message).toBe('Discord no longer has "notes.txt" (it was deleted, or its link expired). Attach it again and ask again.');

    const fresh = discordFile("new");
    discord.failNextDownload({ status: 503 });
    const failed = await failure(fromDiscord().download(fresh));
    expect(failed).toMatchObject({ kind: "http-status", status: 503 });
    expect(failed.message).toBe('Discord could not send "notes.txt" (HTTP 503). Please ask again in a moment.');
  });

  it("calls a host that cannot be reached a network failure", async () => {
    const origin = `http://127.0.0.1:${await freePort()}`;
    const refused = await failure(fromDiscord({ allowedOrigins: [origin] }).download({ name: "a.txt", url: `${origin}/attachments/1/2/a.txt`, size: 1 }));
    expect(refused).toMatchObject({ kind: "network", retryable: true });
  });

  it("lets the caller cancel, with the caller's own reason", async () => {
    const file = discordFile(new Uint8Array(200 * 1024));
    discord.failNextDownload({ stallAfterBytes: 1024 });
    const cancel = new AbortController();
    const pending = fromDiscord().download(file, cancel.signal);
    await expect.poll(() => discord.downloads.length).toBe(1);
    cancel.abort(new Error("council cancelled"));
    await expect(pending).rejects.toThrow("council cancelled");
  });
});
