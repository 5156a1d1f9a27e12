import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage, RecordedCall } from "../../test-support/fake-discord/index.js";
import { type FakeGenerationRequest, jsonInstance, startFakeOllama } from "../../test-support/fake-ollama/index.js";
import { startWorker } from "../../test-support/start-worker.js";
import { cardDescription, type DiscordWorld, isFinalCard, startDiscordWorld } from "./discord-world.js";

// Security and bad input on Discord (issue 6): a question over the preset's limit is refused
// privately before any council starts, on /council and in a thread; and hostile model output
// (mentions, markup, a fence break) can ping no one. The test council's presets keep the
// default limit of 4000 characters.

const LIMIT = 4000;
const after = (mark: number) => (predicate: (call: RecordedCall) => boolean) => (call: RecordedCall) => call.id > mark && predicate(call);
const contentOf = (call: RecordedCall) => String((call.body as { content?: string } | undefined)?.content ?? "");
/** Chat requests that ask a model something (a preload is a chat without messages). */
const asks = (world: DiscordWorld) =>
  world.council.fake.requests.filter((request) => request.path === "/api/chat" && ((request.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0).length;

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(() => world.close());

describe("a question over the length limit", () => {
  it("via /council: a private refusal naming the limit, no card, no thread, no council", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    const asked = asks(world);
    const interaction = await world.ask("x".repeat(LIMIT + 1));
    const reply = await discord.waitForCall(after(mark)((call) => call.route === "interactionCallback" && call.path.includes(interaction.id)));
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining(`The question is ${LIMIT + 1} characters long; the limit is ${LIMIT}`) } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = discord.calls.slice(mark).filter((call) => call.id !== reply.id);
    expect(later.filter((call) => ["editOriginal", "createMessage", "startThreadFromMessage", "createFollowup"].includes(call.route ?? ""))).toEqual([]);
    expect(discord.interaction(interaction.id)?.ack?.ephemeral).toBe(true);
    expect(asks(world)).toBe(asked);
  });

  it("via a follow-up in a council thread: a reply naming the limit, no card, no council", async () => {
    const { discord } = world;
    const first = discord.calls.length;
    await world.ask("Why is the sky blue?", { preset: "pair" });
    const thread = await discord.waitForCall(after(first)((call) => call.route === "startThreadFromMessage"));
    const threadId = (thread.response as { id: string }).id;
    await discord.waitForCall(after(first)((call) => call.route === "createMessage" && call.params.channelId === threadId && contentOf(call).startsWith("**Answer")), 20_000);

    const mark = discord.calls.length;
    const asked = asks(world);
    const message = discord.messageCreate({ channelId: threadId, content: `<@${discord.botUserId}> ${"y".repeat(LIMIT + 1)}`, mentions: [discord.botUserId] });
    discord.dispatch("MESSAGE_CREATE", message);
    const reply = await discord.waitForCall(after(mark)((call) => call.route === "createMessage" && call.params.channelId === threadId));
    expect(contentOf(reply)).toContain(`The question is ${LIMIT + 1} characters long; the limit is ${LIMIT}`);
    expect((reply.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(message.id);
    expect((reply.body as { embeds?: unknown[] }).embeds ?? []).toEqual([]);
    expect((reply.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discord.calls.slice(mark).filter((call) => call.route === "createMessage" || call.route === "editMessage")).toHaveLength(1);
    expect(asks(world)).toBe(asked);
  });

  it("is accepted at exactly the limit, and every message about it fits Discord's limits", async () => {
    const { discord } = world;
    const mark = discord.calls.length;
    await world.ask(`${"Why is the sky blue? ".repeat(LIMIT / 20)}`.slice(0, LIMIT), { preset: "pair" });
    const final = await discord.waitForCall(after(mark)(isFinalCard), 20_000);
    expect(cardDescription(final)).toMatch(/^\*\*Council completed/);
    const thread = discord.calls.slice(mark).find((call) => call.route === "startThreadFromMessage");
    expect(String((thread?.body as { name?: string }).name).length).toBeLessThanOrEqual(100);
    // The fake answers 400 to anything over Discord's limits (title 256, description 4096, 6000 in all).
    const mine = discord.calls.slice(mark).filter((call) => call.route !== "typing");
    expect(mine.filter((call) => (call.status ?? 0) >= 400)).toEqual([]);
  });
});

describe("hostile model output", () => {
  it("reaches Discord as text that pings no one (not @everyone, @here, a user or a role) and links no address in disguise, in the card, the thread or the answer", async () => {
    const { discord, council } = world;
    const guild = discord.guilds[0];
    // Ids that exist, so the fake would ping them if the bot let it: the asker, and the bot's
    // own role, which it may mention (it has MENTION_EVERYONE).
    const tester = discord.interactionCommand({ name: "council", options: { question: "unused" } }).member.user.id;
    const role = guild?.botRoleId ?? "";
    const hostile = [
      `@everyone @here read this, <@123> <@!${tester}> <@${tester}> <@&456> <@&${role}>`,
      "<!channel> <!here> <!everyone> <https://evil.example|click>",
      "[click](https://evil.example) [@everyone](https://evil.example) [https://safe.example](https://evil.example)",
      "```",
      "a fence opened and never closed, @everyone",
    ].join("\n");
    const answer = (request: FakeGenerationRequest) => (request.format === undefined ? hostile : hostileBallot(request.format, tester, role));
    council.fake.setModel("member-a", { answer });
    council.fake.setModel("member-b", { answer });
    // The last test of this world: the models stay hostile.
    council.fake.setModel("chair", { answer: hostile });
    {
      const mark = discord.calls.length;
      await world.ask(`Is this safe? @everyone <@&${role}>`, { preset: "pair" });
      const final = await discord.waitForCall(after(mark)(isFinalCard), 20_000);
      const thread = discord.calls.slice(mark).find((call) => call.route === "startThreadFromMessage");
      const threadId = (thread?.response as { id: string }).id;
      await discord.waitForCall(after(mark)((call) => call.route === "createMessage" && call.params.channelId === threadId && contentOf(call).startsWith("**Answer")), 20_000);

      // The hostile text is shown, so a ping would have happened if the bot had allowed one.
      const posts = discord.messagesIn(threadId).map((message) => message.content);
      expect(posts.filter((content) => content.includes(`<@&${role}>`) && content.includes("@everyone") && content.includes(`<@${tester}>`)).length).toBeGreaterThanOrEqual(3);
      expect(cardDescription(final)).toContain("<!channel>");

      // Every message the bot wrote or edited forbids every mention...
      const written = discord.calls.slice(mark).filter((call) => ["createMessage", "editOriginal", "editMessage", "createFollowup", "editWebhookMessage"].includes(call.route ?? ""));
      expect(written.length).toBeGreaterThan(5);
      for (const call of written) expect((call.body as { allowed_mentions?: unknown }).allowed_mentions, call.route).toEqual({ parse: [] });
      // ...so Discord resolved no mention in any of them.
      const stored: FakeMessage[] = [...discord.messagesIn(discord.channelId), ...discord.messagesIn(threadId)];
      for (const message of stored.filter((candidate) => candidate.author.id === discord.botUserId)) {
        expect({ id: message.id, everyone: message.mention_everyone, users: message.mentions, roles: message.mention_roles }).toEqual({ id: message.id, everyone: false, users: [], roles: [] });
      }

      // The fence a member left open stays in its own message: what the bot writes after it is not code.
      const ballots = posts.find((content) => content.startsWith("🗳️"));
      expect(ballots).toBeDefined();
      expect(fenceLines(ballots ?? "") % 2).toBe(0);
      const description = cardDescription(final);
      expect(fenceLines(description.slice(0, description.indexOf("**Answer by"))) % 2).toBe(0);

      // A link labelled with another address shows where it really goes, on the card and in the
      // thread; a link labelled with words stays a masked link (Discord names the site before leaving).
      for (const text of [description, ...posts]) expect(text).not.toContain("[https://safe.example](https://evil.example)");
      expect(description).toContain("https://safe.example <https://evil.example>");
      expect(posts.filter((content) => content.includes("https://safe.example <https://evil.example>")).length).toBeGreaterThanOrEqual(3);
      expect(description).toContain("[click](https://evil.example)");
    }
  });
});

describe("a WORKER_TOKEN the worker does not accept", () => {
  it("shows on the card within seconds, naming WORKER_TOKEN and not the token", async () => {
    const ollama = await startFakeOllama({ models: { "member-a": {}, "member-b": {} } });
    const guarded = await startWorker(ollama.url, { WORKER_TOKEN: "the-workers-own-token-0123456789" });
    const wrong = await startDiscordWorld({ workerUrl: guarded.url, env: { WORKER_TOKEN: "the-bots-wrong-token-0123456789" } });
    try {
      const startedAt = performance.now();
      await wrong.ask("Why is the sky blue?", { preset: "pair" });
      const final = await wrong.discord.waitForCall(isFinalCard, 10_000);
      expect(performance.now() - startedAt).toBeLessThan(5_000);
      expect(cardDescription(final)).toMatch(/^\*\*Council failed/);
      expect(cardDescription(final)).toContain("set the same WORKER_TOKEN on the bot and on the worker");
      expect(JSON.stringify(wrong.discord.calls.map((call) => call.body ?? null))).not.toMatch(/the-bots-wrong-token|the-workers-own-token/);
    } finally {
      await wrong.close();
      await guarded.close();
      await ollama.close();
    }
  });
});

/** A valid ballot whose critiques are hostile too: they are model text shown in the thread. */
function hostileBallot(format: unknown, tester: string, role: string): string {
  const ballot = jsonInstance(format) as { critiques?: Record<string, string> };
  for (const label of Object.keys(ballot.critiques ?? {})) {
    if (ballot.critiques) ballot.critiques[label] = `@everyone <@${tester}> <@&${role}> \`\`\` <!channel>`;
  }
  return JSON.stringify(ballot);
}

/** Lines that open or close a code fence, as Markdown reads them. */
function fenceLines(text: string): number {
  return text.split("\n").filter((line) => /^ {0,3}(```|~~~)/.test(line)).length;
}
