// Attachments as Discord hands them to a bot (a slash command's attachment option resolved in
// data.resolved.attachments; a message's attachments) and as its CDN serves them: under signed
// links that expire, to anyone holding the link.
import { Events, type Message } from "discord.js";
import { describe, expect, it } from "vitest";
import { CDN_LINK_LIFETIME_MS } from "./cdn.js";
import { nextEvent, useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();
const text = async (url: string) => {
  const answer = await fetch(url);
  return { status: answer.status, type: answer.headers.get("content-type"), body: await answer.text() };
};

describe("the fake Discord's attachments", () => {
  it("resolves a slash command's attachment options as Discord does: the id as the value, the attachment in resolved", async () => {
    const fake = await harness.start();
    const payload = fake.interactionCommand({ name: "council", options: { question: "What does this say?" }, attachments: { file: { name: "notes.txt", data: "hello", contentType: "text/plain; charset=utf-8" }, file2: { name: "b.png", data: new Uint8Array([1, 2, 3]) } } });
    const options = payload.data.options as { name: string; type: number; value: unknown }[];
    expect(options.map((option) => [option.name, option.type])).toEqual([["question", 3], ["file", 11], ["file2", 11]]);
    const attachments = (payload.data.resolved as { attachments: Record<string, Record<string, unknown>> }).attachments;
    const file = attachments[String(options[1]?.value)];
    expect(file).toMatchObject({ id: options[1]?.value, filename: "notes.txt", size: 5, content_type: "text/plain; charset=utf-8", ephemeral: true });
    expect(String(file?.url)).toMatch(new RegExp(`^${fake.url}/ephemeral-attachments/${fake.applicationId}/\\d+/notes\\.txt\\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]{64}&$`));
    expect(await text(String(file?.url))).toEqual({ status: 200, type: "text/plain; charset=utf-8", body: "hello" });
    expect(attachments[String(options[2]?.value)]).toMatchObject({ filename: "b.png", size: 3 });
  });

  it("puts a user's files in the message discord.js receives, served from the channel's attachment path", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const received = nextEvent<Message>(client, Events.MessageCreate);
    fake.dispatch("MESSAGE_CREATE", fake.messageCreate({ channelId: fake.channelId, content: `<@${fake.botUserId}> and this?`, attachments: [{ name: "log.txt", data: "line\n", contentType: "text/plain" }] }));
    const attachment = (await received).attachments.first();
    expect(attachment).toMatchObject({ name: "log.txt", size: 5, contentType: "text/plain" });
    expect(attachment?.url).toContain(`${fake.url}/attachments/${fake.channelId}/${attachment?.id}/log.txt?ex=`);
    expect((await text(attachment?.url ?? "")).body).toBe("line\n");
    expect(fake.downloads).toEqual([expect.objectContaining({ method: "GET", status: 200, completed: true, bytesSent: 5 })]);
  });

  it("answers Discord's 404 for a link without its signature, with a forged one, or past its 24 hours", async () => {
    const fake = await harness.start();
    const message = fake.messageCreate({ channelId: fake.channelId, content: "x", attachments: [{ name: "a.txt", data: "a" }] });
    const url = String((message.attachments as { url: string }[])[0]?.url);
    const gone = { status: 404, type: "text/plain; charset=utf-8", body: "This content is no longer available." };
    expect(await text(url.split("?")[0] ?? "")).toEqual(gone);
    expect(await text(url.replace(/hm=[0-9a-f]/, "hm=x"))).toEqual(gone);
    fake.advanceTime(CDN_LINK_LIFETIME_MS - 1000);
    expect((await text(url)).status).toBe(200);
    fake.advanceTime(1000);
    expect(await text(url)).toEqual(gone);
  });

  it("serves the bot's own uploads from the same CDN", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const channel = await client.channels.fetch(fake.channelId);
    if (!channel?.isSendable()) throw new Error("not sendable");
    const sent = await channel.send({ files: [{ attachment: Buffer.from("# answer"), name: "answer.md" }] });
    expect((await text(sent.attachments.first()?.url ?? "")).body).toBe("# answer");
  });
});
