// Files users share, as Slack's events carry them (files[] with url_private_download) and its
// file host serves them: the bytes only to the bot token with files:read, a redirect to the
// sign-in page for anything else.
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { BOT_TOKEN, quietLogger, useFakeSlack } from "./test-helpers.js";
import type { EventCallback } from "./types.js";

const harness = useFakeSlack();
/** The url_private_download of an event's first file. */
const firstDownloadUrl = (payload: EventCallback) => String(payload.event.files?.[0]?.url_private_download);
const get = (url: string, token?: string) => fetch(url, { redirect: "manual", ...(token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } }) });

describe("files shared with a question", () => {
  it("are in the app_mention's files, as Slack's file JSON, and in the stored message", async () => {
    const fake = await harness.start({ botToken: BOT_TOKEN });
    const payload = fake.appMention({ text: "what broke?", files: [{ name: "trace.log", data: "boom\n" }, { name: "shot.png", data: new Uint8Array([0x89, 0x50]), size: 999 }] });
    const files = payload.event.files ?? [];
    expect(files).toEqual([
      expect.objectContaining({ name: "trace.log", mimetype: "text/plain", size: 5, mode: "hosted", is_external: false, user: fake.userId }),
      expect.objectContaining({ name: "shot.png", mimetype: "image/png", filetype: "png", size: 999 }),
    ]);
    const [first] = files;
    expect(String(first?.url_private_download)).toMatch(new RegExp(`^${fake.url}/files-pri/${fake.teamId}-F0[0-9A-F]+/download/trace\\.log$`));
    expect(String(first?.url_private)).toBe(String(first?.url_private_download).replace("/download/", "/"));
    expect(payload.event.subtype).toBeUndefined();
    expect(fake.message(fake.channelId, payload.event.ts)).toMatchObject({ subtype: "file_share", files, upload: true });
  });

  it("make a DM a file_share message", async () => {
    const fake = await harness.start();
    const payload = fake.directMessage({ text: "read this", files: [{ name: "a.csv", data: "x,y\n1,2\n" }] });
    expect(payload.event).toMatchObject({ type: "message", subtype: "file_share", upload: true, channel_type: "im", files: [expect.objectContaining({ name: "a.csv", mimetype: "text/csv" })] });
  });

  it("are served to the bot token, whole, at url_private_download and url_private", async () => {
    const fake = await harness.start({ botToken: BOT_TOKEN });
    const [file] = fake.appMention({ text: "q", files: [{ name: "trace.log", data: "boom\n" }] }).event.files ?? [];
    for (const url of [String(file?.url_private_download), String(file?.url_private)]) {
      const answer = await get(url, BOT_TOKEN);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe("boom\n");
    }
    expect(fake.downloads).toEqual([
      expect.objectContaining({ status: 200, authorization: `Bearer ${BOT_TOKEN}`, bytesSent: 5, completed: true }),
      expect.objectContaining({ status: 200, completed: true }),
    ]);
  });

  it("send anything else to the sign-in page: no token, another token, a user token, a bot token without files:read", async () => {
    const fake = await harness.start({ botToken: BOT_TOKEN });
    const url = firstDownloadUrl(fake.appMention({ text: "q", files: [{ name: "secret.txt", data: "secret" }] }));
    for (const token of [undefined, "xoxb-another-bot", "xoxp-a-user-token"]) {
      const answer = await get(url, token);
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toBe(`${fake.url}/?redir=${encodeURIComponent(new URL(url).pathname)}`);
    }
    // Following the redirect, as a careless client would, gives a web page, not the file.
    const followed = await fetch(url);
    expect(followed.status).toBe(200);
    expect(followed.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await followed.text()).toContain("Sign in to your workspace");

    const unscoped = await harness.start({ scopes: ["chat:write", "files:write"] });
    const other = firstDownloadUrl(unscoped.appMention({ text: "q", files: [{ name: "s.txt", data: "s" }] }));
    expect((await get(other, "xoxb-any")).status).toBe(302);
  });

  it("serve the files the bot uploaded too, and answer 404 for a file it does not have", async () => {
    const fake = await harness.start();
    const client = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger() });
    await client.filesUploadV2({ channel_id: fake.channelId, file: Buffer.from("chart"), filename: "chart.png" });
    const shared = fake.messagesIn(fake.channelId).at(-1)?.files?.[0] as { url_private_download: string; id: string };
    expect(await (await get(shared.url_private_download, BOT_TOKEN)).text()).toBe("chart");
    expect((await get(shared.url_private_download.replace(shared.id, "F0NOSUCHFILE"), BOT_TOKEN)).status).toBe(404);
  });

  it("misbehave as scripted, once: a status, then a chunked body", async () => {
    const fake = await harness.start();
    const url = firstDownloadUrl(fake.appMention({ text: "q", files: [{ name: "t.txt", data: "hello" }] }));
    fake.failNextDownload({ status: 500 });
    fake.failNextDownload({ chunked: true });
    expect((await get(url, BOT_TOKEN)).status).toBe(500);
    const chunked = await get(url, BOT_TOKEN);
    expect(chunked.headers.get("content-length")).toBeNull();
    expect(chunked.headers.get("transfer-encoding")).toBe("chunked");
    expect(await chunked.text()).toBe("hello");
    expect(await (await get(url, BOT_TOKEN)).text()).toBe("hello");
    expect(fake.downloads.map((download) => download.fault)).toEqual([true, true, false]);
    fake.resetRecord();
    expect(fake.downloads).toEqual([]);
  });
});
