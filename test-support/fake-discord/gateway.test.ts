// The real discord.js Client against the fake gateway: login, READY and guilds, heartbeats,
// INTERACTION_CREATE and MESSAGE_CREATE reaching the client's events, intents and refusals.
import { ChannelType, Client, GatewayIntentBits, type ChatInputCommandInteraction, type Message } from "discord.js";
import { describe, expect, it } from "vitest";
import { Intent } from "./intents.js";
import { nextEvent, useFakeDiscord } from "./test-helpers.js";

const harness = useFakeDiscord();

describe("login", () => {
  it("reaches clientReady with the bot user, the application and the guild's channels cached", async () => {
    const fake = await harness.start({ botUserId: "111111111111111111" });
    const client = await harness.client(fake);
    expect(client.user.id).toBe("111111111111111111");
    expect(client.user.bot).toBe(true);
    expect(client.application.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    const channel = client.channels.cache.get(fake.channelId);
    expect(channel?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe("111111111111111111");
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]).toMatchObject({ token: "fake-bot-token", intents: Intent.Guilds | Intent.GuildMessages | Intent.MessageContent });
    // GET /gateway/bot with the bot token, then nothing else before ready.
    expect(fake.calls.map((c) => [c.method, c.path, c.auth])).toEqual([["GET", "/gateway/bot", "Bot"]]);
    expect(fake.sessions()).toBe(1);
  });

  it("acknowledges heartbeats", async () => {
    const fake = await harness.start({ heartbeatIntervalMs: 40 });
    const client = await harness.client(fake);
    await new Promise<void>((resolve) => {
      const check = () => (fake.heartbeats >= 2 && client.ws.ping >= 0 ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("resumes after op 7 Reconnect: RESUME with the session id, RESUMED, and dispatches flow again", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const resumed = nextEvent<number>(client, "shardResume");
    fake.requestReconnect();
    await resumed;
    expect(fake.resumes).toBe(1);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.sessions()).toBe(1);
    const got = nextEvent<Message>(client, "messageCreate");
    fake.dispatch("MESSAGE_CREATE", fake.messageCreate({ channelId: fake.channelId, content: "after resume" }));
    expect((await got).content).toBe("after resume");
  });

  it("refuses a wrong token when the test fixes one: login rejects", async () => {
    const fake = await harness.start({ token: "right" });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restBase } });
    await expect(client.login("wrong")).rejects.toThrow(/token/i);
    await client.destroy();
    expect(fake.calls[0]).toMatchObject({ path: "/gateway/bot", status: 401 });
  });

  it("closes with 4014 for a privileged intent the portal did not allow", async () => {
    const fake = await harness.start({ allowedPrivilegedIntents: 0 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent], rest: { api: fake.restBase } });
    const error = nextEvent<Error>(client, "shardError");
    const disconnect = nextEvent<{ code: number }>(client, "shardDisconnect");
    void client.login("t").catch(() => undefined);
    expect((await disconnect).code).toBe(4014);
    expect((await error).message).toBe("Used disallowed intents");
    await client.destroy();
    expect(fake.sessions()).toBe(0);
  });
});

describe("dispatch", () => {
  it("delivers INTERACTION_CREATE as a ChatInputCommandInteraction with its options", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const got = nextEvent<ChatInputCommandInteraction>(client, "interactionCreate");
    const payload = fake.interactionCommand({ name: "council", options: { question: "Why is the sky blue?", rounds: 2, verbose: true } });
    expect(fake.dispatch("INTERACTION_CREATE", payload)).toBe(1);
    const interaction = await got;
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.commandName).toBe("council");
    expect(interaction.options.getString("question")).toBe("Why is the sky blue?");
    expect(interaction.options.getInteger("rounds")).toBe(2);
    expect(interaction.options.getBoolean("verbose")).toBe(true);
    expect(interaction.channelId).toBe(fake.channelId);
    expect(interaction.guildId).toBe(fake.guildId);
    expect(interaction.channel?.id).toBe(fake.channelId);
    expect(interaction.user.username).toBe("tester");
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.appPermissions.has("SendMessages")).toBe(true);
    expect(interaction.memberPermissions?.has("Administrator")).toBe(false);
  });

  it("types options from the registered command", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    await client.application.commands.set([
      { name: "council", description: "Ask the council", options: [{ name: "budget", description: "n", type: 10 }] },
    ]);
    const got = nextEvent<ChatInputCommandInteraction>(client, "interactionCreate");
    fake.dispatch("INTERACTION_CREATE", fake.interactionCommand({ name: "council", options: { budget: 3 } }));
    const interaction = await got;
    expect(interaction.options.getNumber("budget")).toBe(3);
    expect(interaction.commandId).toBe(fake.commands()[0]?.id);
  });

  it("delivers MESSAGE_CREATE to messageCreate, with mentions parsed from the content", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake);
    const got = nextEvent<Message>(client, "messageCreate");
    fake.dispatch("MESSAGE_CREATE", fake.messageCreate({ channelId: fake.channelId, content: `<@${fake.botUserId}> what is 2+2?` }));
    const message = await got;
    expect(message.content).toBe(`<@${fake.botUserId}> what is 2+2?`);
    expect(message.author.bot).toBe(false);
    expect(message.mentions.users.has(fake.botUserId)).toBe(true);
    expect(message.channelId).toBe(fake.channelId);
    expect(message.guild?.id).toBe(fake.guildId);
  });

  it("blanks content without MESSAGE_CONTENT unless the bot is mentioned, and gates by intents", async () => {
    const fake = await harness.start();
    const client = await harness.client(fake, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const first = nextEvent<Message>(client, "messageCreate");
    fake.dispatch("MESSAGE_CREATE", fake.messageCreate({ channelId: fake.channelId, content: "hello there" }));
    expect((await first).content).toBe("");
    const second = nextEvent<Message>(client, "messageCreate");
    fake.dispatch("MESSAGE_CREATE", fake.messageCreate({ channelId: fake.channelId, content: `<@${fake.botUserId}> hi` }));
    expect((await second).content).toBe(`<@${fake.botUserId}> hi`);

    const fake2 = await harness.start();
    await harness.client(fake2, { intents: [GatewayIntentBits.Guilds] });
    expect(fake2.dispatch("MESSAGE_CREATE", fake2.messageCreate({ channelId: fake2.channelId, content: "x" }))).toBe(0);
  });

  it("throws when no client is connected", async () => {
    const fake = await harness.start();
    expect(() => fake.dispatch("MESSAGE_CREATE", {})).toThrow(/no identified gateway session/);
  });
});
