import { Client, Events, GatewayIntentBits, type Message } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";
import { createFileDownloader } from "../shared/file-download.js";
import { interactionFiles, messageFiles } from "./attached-files.js";
import type { CommandInteraction } from "./interaction.js";

// Where Discord says the files are, read from what the fake sends as Discord does, then fetched
// from the fake's CDN as the bot will.

let discord: FakeDiscord;
beforeEach(async () => {
  discord = await startFakeDiscord();
});
afterEach(() => discord.close());

const download = (url: string) =>
  createFileDownloader({ platform: "Discord", allowedOrigins: [discord.url], maxBytes: 1024 * 1024, timeoutMs: 5000 })
    .download({ name: "x", url, size: 0 })
    .then((file) => new TextDecoder().decode(file.bytes));

describe("the files of /council", () => {
  it("come from the file options through data.resolved.attachments, file before file2", async () => {
    const interaction = discord.interactionCommand({
      name: "council",
      options: { question: "Compare these" },
      attachments: { file2: { name: "second.csv", data: "b,2\n" }, file: { name: "first.txt", data: "one", contentType: "text/plain" } },
    }) as unknown as CommandInteraction;
    const files = interactionFiles(interaction);
    expect(files).toEqual([
      { name: "first.txt", url: expect.stringContaining("/ephemeral-attachments/") as unknown, size: 3, contentType: "text/plain" },
      { name: "second.csv", url: expect.stringContaining("/ephemeral-attachments/") as unknown, size: 4 },
    ]);
    expect(await Promise.all(files.map((file) => download(file.url)))).toEqual(["one", "b,2\n"]);
  });

  it("are none without file options, or when an option's attachment is not resolved", () => {
    expect(interactionFiles(discord.interactionCommand({ name: "council", options: { question: "Why?" } }) as unknown as CommandInteraction)).toEqual([]);
    const unresolved = discord.interactionCommand({ name: "council", options: [{ name: "question", type: 3, value: "Why?" }, { name: "file", type: 11, value: "123" }] });
    expect(interactionFiles(unresolved as unknown as CommandInteraction)).toEqual([]);
  });
});

describe("the files of a mention in a council thread", () => {
  it("come from the message discord.js receives, and download from the CDN", async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: discord.restBase } });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once(Events.ClientReady, () => resolve());
        client.login("fake-bot-token").catch(reject);
      });
      const received = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
      // Without the Message Content intent a message keeps its attachments only when it mentions the bot.
      discord.dispatch("MESSAGE_CREATE", discord.messageCreate({ channelId: discord.channelId, content: `<@${discord.botUserId}> and this log?`, attachments: [{ name: "app.log", data: "ERROR x\n", contentType: "text/plain" }] }));
      const [file] = messageFiles((await received).attachments.values());
      expect(file).toMatchObject({ name: "app.log", size: 8, contentType: "text/plain" });
      expect(await download(file?.url ?? "")).toBe("ERROR x\n");
    } finally {
      await client.destroy();
    }
  });
});
