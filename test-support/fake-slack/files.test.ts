// The external file upload through the real web-api WebClient (files.uploadV2 drives the three
// steps), the upload URL as a plain HTTP endpoint, and conversations.open for the bot's DMs.
import { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { BOT_TOKEN, quietLogger, useFakeSlack } from "./test-helpers.js";
import type { FakeSlack } from "./types.js";

const harness = useFakeSlack();
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);

function client(fake: FakeSlack): webApi.WebClient {
  return new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger() });
}

const slackError = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: webApi.WebAPIPlatformError) => error.data?.error,
  );

describe("files.uploadV2 (getUploadURLExternal, the upload URL, completeUploadExternal)", () => {
  it("shares the file in a thread with its comment, and keeps the bytes", async () => {
    const fake = await harness.start();
    const root = await client(fake).chat.postMessage({ channel: fake.channelId, text: "root" });
    await client(fake).filesUploadV2({ channel_id: fake.channelId, thread_ts: root.ts ?? "", file: PNG, filename: "timeline.png", title: "Timeline", initial_comment: "where the time went", alt_text: "a timeline" });
    expect(fake.calls.map((call) => call.method)).toEqual(["chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal"]);
    expect(fake.calls[1]?.args).toMatchObject({ filename: "timeline.png", length: String(PNG.length), alt_text: "a timeline" });
    const [file] = fake.files;
    expect(file).toMatchObject({ name: "timeline.png", length: PNG.length, completed: true, title: "Timeline", altText: "a timeline" });
    expect(Buffer.from(file?.data ?? [])).toEqual(PNG);
    const reply = fake.thread(fake.channelId, root.ts ?? "")[1];
    expect(reply).toMatchObject({ text: "where the time went", thread_ts: root.ts, user: fake.botUserId, upload: true });
    expect(reply?.files).toEqual([expect.objectContaining({ id: file?.id, name: "timeline.png", title: "Timeline", mimetype: "image/png", size: PNG.length, alt_txt: "a timeline" })]);
    expect(file?.shares).toEqual([{ channel: fake.channelId, ts: reply?.ts, threadTs: root.ts }]);
  });

  it("completes a file once: again, or an id it never gave, is file_not_found", async () => {
    const fake = await harness.start();
    await client(fake).filesUploadV2({ channel_id: fake.channelId, file: PNG, filename: "a.png" });
    const id = fake.files[0]?.id ?? "";
    expect(await slackError(client(fake).files.completeUploadExternal({ files: [{ id }], channel_id: fake.channelId }))).toBe("file_not_found");
    expect(await slackError(client(fake).files.completeUploadExternal({ files: [{ id: "F0NOTHING" }], channel_id: fake.channelId }))).toBe("file_not_found");
    expect(fake.messagesIn(fake.channelId).filter((message) => message.files)).toHaveLength(1);
  });

  it("refuses to complete a file whose bytes never came", async () => {
    const fake = await harness.start();
    const { file_id } = await client(fake).files.getUploadURLExternal({ filename: "a.png", length: PNG.length });
    expect(await slackError(client(fake).files.completeUploadExternal({ files: [{ id: file_id ?? "" }], channel_id: fake.channelId }))).toBe("file_not_found");
  });

  it("refuses a channel the bot is not in, and leaves the file to complete elsewhere", async () => {
    const fake = await harness.start();
    fake.removeBotFrom(fake.channelId);
    expect(await slackError(client(fake).filesUploadV2({ channel_id: fake.channelId, file: PNG, filename: "a.png" }))).toBe("not_in_channel");
    const id = fake.files[0]?.id ?? "";
    expect(fake.files[0]?.completed).toBe(false);
    await client(fake).files.completeUploadExternal({ files: [{ id }], channel_id: fake.dmChannelId });
    expect(fake.messagesIn(fake.dmChannelId).at(-1)?.files).toEqual([expect.objectContaining({ id, ims: [fake.dmChannelId] })]);
  });

  it("keeps a file private without a channel", async () => {
    const fake = await harness.start();
    await client(fake).filesUploadV2({ file: PNG, filename: "a.png" });
    expect(fake.files[0]).toMatchObject({ completed: true, shares: [] });
  });

  it("answers missing_scope without files:write, as an app installed before the scope was added", async () => {
    const fake = await harness.start({ scopes: ["chat:write", "commands"] });
    const refused = await client(fake)
      .filesUploadV2({ channel_id: fake.channelId, file: PNG, filename: "a.png" })
      .catch((error: webApi.WebAPIPlatformError) => error.data);
    expect(refused).toMatchObject({ ok: false, error: "missing_scope", needed: "files:write", provided: "chat:write,commands" });
  });

  it("asks for a filename and a length", async () => {
    const fake = await harness.start();
    expect(await slackError(client(fake).apiCall("files.getUploadURLExternal", { length: 3 }))).toBe("invalid_arguments");
    expect(await slackError(client(fake).apiCall("files.getUploadURLExternal", { filename: "a.png", length: 0 }))).toBe("missing_argument");
  });
});

describe("the upload URL", () => {
  it("takes raw bytes or a form, answers OK with the size, and refuses a wrong size, an unknown URL or a completed file", async () => {
    const fake = await harness.start();
    const { upload_url: url = "", file_id: id = "" } = await client(fake).files.getUploadURLExternal({ filename: "a.png", length: PNG.length });
    expect(url.startsWith(`${fake.url}/upload/v1/`)).toBe(true);
    const short = await fetch(url, { method: "POST", body: PNG.subarray(0, 3) });
    expect([short.status, await short.text()]).toEqual([400, `length_mismatch: announced ${PNG.length} bytes, received 3`]);
    const raw = await fetch(url, { method: "POST", body: PNG });
    expect([raw.status, await raw.text()]).toEqual([200, `OK - ${PNG.length}`]);
    const form = new FormData();
    form.append("file", new Blob([PNG]), "a.png");
    expect((await fetch(url, { method: "POST", body: form })).status).toBe(200);
    expect((await fetch(`${fake.url}/upload/v1/nothing`, { method: "POST", body: PNG })).status).toBe(404);
    await client(fake).files.completeUploadExternal({ files: [{ id }] });
    expect((await fetch(url, { method: "POST", body: PNG })).status).toBe(404);
  });
});

describe("conversations.open", () => {
  it("answers the bot's DM with a user, opening one when there is none", async () => {
    const fake = await harness.start({ users: [{ id: "U0USER001", name: "tester" }, { id: "U0OTHER02", name: "other" }] });
    expect(await client(fake).conversations.open({ users: "U0USER001" })).toMatchObject({ ok: true, already_open: true, channel: { id: fake.dmChannelId } });
    const opened = await client(fake).conversations.open({ users: "U0OTHER02" });
    expect(opened).toMatchObject({ ok: true, already_open: false });
    expect(fake.channel(opened.channel?.id ?? "")).toMatchObject({ isIm: true, user: "U0OTHER02", botIsMember: true });
    expect(await slackError(client(fake).conversations.open({ users: "U0NOBODY9" }))).toBe("user_not_found");
    expect(await slackError(client(fake).apiCall("conversations.open", {}))).toBe("users_list_not_supplied");
  });
});
