import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { INTERRUPTED_BY_RESTART, INTERRUPTED_BY_STOP } from "../../src/council-service.js";
import type { RecordedCall as DiscordCall } from "../../test-support/fake-discord/index.js";
import { jsonInstance } from "../../test-support/fake-ollama/index.js";
import type { RecordedCall as SlackCall } from "../../test-support/fake-slack/index.js";
import { cardDescription, isFinalCard, startDiscordWorld } from "../discord/discord-world.js";
import { startSlackWorld } from "../slack/slack-world.js";
import { after, chatCounts, contentOf, discordCardEdits, discordCardSays, errorLogs, sharedCouncilDb, slackCardSays, slackText } from "./platform-helpers.js";

// Issue 6's fault-injection suite, the platforms' half: what goes wrong on Discord's or Slack's
// side, or in the bot's own process (a restart, its database), with the real bots against the
// fake platforms and the real core through a worker in front of the fake Ollama. Each case
// checks four things: what the user sees says what happened; it arrives within a bound (the
// waits' timeouts); nothing is shown or asked twice (one card, one thread, one final answer,
// each model asked once per stage); and the council's record has the right status.

const CHAIR_ANSWER = "The chairman's answer: the sky is blue because air scatters blue light most.";
/** "pair" seats member-a and member-b; the chairman is "chair". */
const PAIR = ["member-a", "member-b", "chair"];
/** Slack asks with the default preset, "trio": member-broken answers 500. */
const TRIO = ["member-a", "member-b", "member-broken", "chair"];
/** One council of "pair", each model asked once per stage. */
const PAIR_ONCE = { "member-a": { answers: 1, ballots: 1 }, "member-b": { answers: 1, ballots: 1 }, chair: { answers: 1, ballots: 0 } };
const TRIO_ONCE = { ...PAIR_ONCE, "member-broken": { answers: 1, ballots: 0 } };
const NOTHING = (models: readonly string[]) => Object.fromEntries(models.map((model) => [model, { answers: 0, ballots: 0 }]));

const isSlackFinal = (call: SlackCall) => call.method === "chat.update" && call.ok === true && /Council completed|Partial result|Council failed/.test(slackText(call));
const isSlackCard = (threadTs: string) => (call: SlackCall) => call.method === "chat.postMessage" && call.ok === true && call.args.thread_ts === threadTs && slackText(call).includes("Starting the council");

describe("Discord's side fails", () => {
  it("1. retries 429s and 5xx on card edits: the final card arrives once, and the record is completed", async () => {
    const world = await startDiscordWorld();
    try {
      const { discord, council, store } = world;
      // Two 429s on the stage edits (discord.js waits them out), and the final card itself
      // answered 500 four times: discord.js retries a 5xx three times, so the bot's live card
      // sees one failure and must try the final state again.
      discord.failNext((call) => call.route === "editOriginal" && cardDescription(call).startsWith("**Stage"), { status: 429, retryAfterMs: 300, times: 2 });
      discord.failNext((call) => call.route === "editOriginal" && cardDescription(call).startsWith("**Council completed"), { status: 500, times: 4 });
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });

      const final = await discord.waitForCall((call) => isFinalCard(call) && call.status === 200, 20_000);
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      expect(cardDescription(final)).toMatch(/^\*\*Council completed/);
      expect(cardDescription(final)).toContain(CHAIR_ANSWER);
      expect(String(discord.message(discord.channelId, cardId)?.embeds[0]?.description)).toMatch(/^\*\*Council completed/);
      expect(discord.calls.filter((call) => call.fault).length).toBe(6);
      expect(discord.rateLimitHits).toBeGreaterThanOrEqual(2);

      const thread = await discord.waitForCall((call) => call.route === "startThreadFromMessage");
      const threadId = (thread.response as { id: string }).id;
      await discord.waitForCall((call) => call.route === "createMessage" && call.params.channelId === threadId && contentOf(call).startsWith("**Answer"), 10_000);
      await expect.poll(() => world.councils.inFlight(), { timeout: 5_000 }).toBe(0);
      expect(discord.calls.filter((call) => call.route === "interactionCallback")).toHaveLength(1);
      expect(discordCardEdits(discord.calls, interaction.token, cardId).filter(isFinalCard)).toHaveLength(1);
      expect(discord.calls.filter((call) => call.route === "startThreadFromMessage")).toHaveLength(1);
      expect(discord.messagesIn(discord.channelId).filter((message) => message.embeds.length > 0).map((message) => message.id)).toEqual([cardId]);
      expect(discord.messagesIn(threadId).filter((message) => message.content.startsWith("**Answer"))).toHaveLength(1);
      expect(chatCounts(council.fake, PAIR)).toEqual(PAIR_ONCE);

      const records = store.recent(10);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ status: "completed", place: { channelId: discord.channelId, messageId: cardId }, threadKey: threadId });
    } finally {
      await world.close();
    }
  });

  it("1b. a 5xx on the first card edit: the card still opens its thread and is recorded where it is; the record is completed", async () => {
    const world = await startDiscordWorld();
    try {
      const { discord, council, store } = world;
      // Discord's 502 blip on the edit that turns the deferred reply into the card (four in a
      // row: discord.js retries a 5xx three times). The next edit gets through.
      discord.failNext((call) => call.route === "editOriginal" && cardDescription(call).startsWith("**Starting the council"), { status: 502, times: 4 });
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });

      const final = await discord.waitForCall((call) => isFinalCard(call) && call.status === 200, 20_000);
      expect(cardDescription(final)).toMatch(/^\*\*Council completed/);
      await expect.poll(() => world.councils.inFlight(), { timeout: 5_000 }).toBe(0);
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      expect(discordCardEdits(discord.calls, interaction.token, cardId).filter(isFinalCard)).toHaveLength(1);
      expect(discord.calls.filter((call) => call.fault).length).toBe(4);
      expect(chatCounts(council.fake, PAIR)).toEqual(PAIR_ONCE);

      // The council's details (each answer, the ballots, the whole final answer) still get their
      // thread, and the record knows where the card is, so a restart can mark it.
      const threads = discord.calls.filter((call) => call.route === "startThreadFromMessage" && call.status === 201);
      expect(threads).toHaveLength(1);
      const threadId = (threads[0]?.response as { id: string } | undefined)?.id ?? "";
      expect(discord.messagesIn(threadId).filter((message) => message.content.startsWith("**Answer"))).toHaveLength(1);
      expect(store.recent(10)).toEqual([expect.objectContaining({ status: "completed", place: { channelId: discord.channelId, messageId: cardId }, threadKey: threadId })]);
    } finally {
      await world.close();
    }
  });

  it("2a. finishes in the thread when the card is deleted mid-council, never reposting it; the record is completed", async () => {
    const world = await startDiscordWorld();
    try {
      const { discord, council, store } = world;
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });
      const thread = await discord.waitForCall((call) => call.route === "startThreadFromMessage");
      const threadId = (thread.response as { id: string }).id;
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      const mark = discord.calls.length;
      discord.deleteMessage(discord.channelId, cardId);

      const answer = await discord.waitForCall((call) => call.route === "createMessage" && call.params.channelId === threadId && contentOf(call).startsWith("**Answer"), 20_000);
      expect(contentOf(answer)).toContain(CHAIR_ANSWER);
      await expect.poll(() => world.councils.inFlight(), { timeout: 5_000 }).toBe(0);
      expect(discord.message(discord.channelId, cardId)?.deleted ?? true).toBe(true);

      // The first edit of the deleted card is also the last: no hammering a 404.
      expect(discord.calls.slice(mark).filter((call) => call.route === "editOriginal" && call.status === 404)).toHaveLength(1);
      expect(discord.calls.slice(mark).filter((call) => call.route === "editOriginal" && call.status === 200)).toHaveLength(0);
      expect(discord.messagesIn(discord.channelId).filter((message) => message.embeds.length > 0)).toHaveLength(0);
      expect(discord.calls.filter((call) => call.route === "startThreadFromMessage")).toHaveLength(1);
      expect(discord.messagesIn(threadId).filter((message) => message.content.startsWith("**Answer"))).toHaveLength(1);
      expect(chatCounts(council.fake, PAIR)).toEqual(PAIR_ONCE);
      // Nothing crashed: no error boundary caught anything.
      expect(errorLogs(council.logs)).toEqual([]);

      const records = store.recent(10);
      expect(records).toHaveLength(1);
      expect(records[0]?.status).toBe("completed");
    } finally {
      await world.close();
    }
  });

  it("3. edits the card with the bot token once the interaction token has expired (a council over 15 min); the record is completed", async () => {
    let offsetMs = 0;
    const world = await startDiscordWorld({ now: () => Date.now() + offsetMs });
    try {
      const { discord, council, store } = world;
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });
      const thread = await discord.waitForCall((call) => call.route === "startThreadFromMessage");
      const threadId = (thread.response as { id: string }).id;
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      // Sixteen minutes pass, for Discord (the token dies) and for the bot.
      discord.advanceTime(16 * 60_000);
      offsetMs = 16 * 60_000;

      const final = await discord.waitForCall(isFinalCard, 20_000);
      expect(final).toMatchObject({ route: "editMessage", auth: "Bot", status: 200, params: { messageId: cardId } });
      expect(cardDescription(final)).toContain(CHAIR_ANSWER);
      expect(String(discord.message(discord.channelId, cardId)?.embeds[0]?.description)).toMatch(/^\*\*Council completed/);

      await discord.waitForCall((call) => call.route === "createMessage" && call.params.channelId === threadId && contentOf(call).startsWith("**Answer"), 10_000);
      await expect.poll(() => world.councils.inFlight(), { timeout: 5_000 }).toBe(0);
      // One card: every edit lands on the same message, and none is posted anew.
      expect(discordCardEdits(discord.calls, interaction.token, cardId).filter(isFinalCard)).toHaveLength(1);
      expect(discord.calls.filter((call) => call.route === "editOriginal" && call.status === 401).length).toBeLessThanOrEqual(1);
      expect(discord.messagesIn(discord.channelId).filter((message) => message.embeds.length > 0).map((message) => message.id)).toEqual([cardId]);
      expect(discord.messagesIn(threadId).filter((message) => message.content.startsWith("**Answer"))).toHaveLength(1);
      expect(chatCounts(council.fake, PAIR)).toEqual(PAIR_ONCE);

      expect(store.recent(10)).toEqual([expect.objectContaining({ status: "completed", place: { channelId: discord.channelId, messageId: cardId } })]);
    } finally {
      await world.close();
    }
  });
});

describe("Slack's side fails", () => {
  it("2b. cancels the council when its card is deleted mid-council, never reposting it; the record says it failed, cancelled", async () => {
    const world = await startSlackWorld();
    try {
      const { slack, council, store } = world;
      const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
      await slack.sendEvent(mention);
      const card = await slack.waitForCall(isSlackCard(mention.event.ts));
      const cardTs = (card.response as { ts: string }).ts;
      slack.deleteMessage(mention.event.channel, cardTs);

      await slack.waitForCall((call) => call.method === "chat.update" && call.error === "message_not_found", 10_000);
      await expect.poll(() => world.councils.inFlight(), { timeout: 10_000 }).toBe(0);
      expect(slack.message(mention.event.channel, cardTs)?.deleted).toBe(true);
      const thread = slack.thread(mention.event.channel, mention.event.ts);
      expect(thread.some((message) => message.text.includes("Answer by the chairman"))).toBe(false);

      expect(slack.calls.filter(isSlackCard(mention.event.ts))).toHaveLength(1);
      expect(slack.calls.filter((call) => call.method === "chat.update" && call.error === "message_not_found")).toHaveLength(1);
      expect(slack.calls.filter(isSlackFinal)).toHaveLength(0);
      // Cancelled: the chairman is never asked.
      expect(chatCounts(council.fake, ["chair"])).toEqual(NOTHING(["chair"]));
      expect(errorLogs(council.logs)).toEqual([]);

      const records = store.recent(10);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ status: "failed", reason: "the council was cancelled" });
    } finally {
      await world.close();
    }
  });

  it("4. starts one council for an event retried three times, and none for a retry that reaches the bot after a restart", async () => {
    const db = await sharedCouncilDb();
    const first = await startSlackWorld({ env: { COUNCIL_DB: db.path } });
    try {
      const { slack } = first;
      const mention = slack.appMention({ text: `<@${slack.botUserId}> What is 2 + 2?`, eventId: "Ev0FAULT4RETRY" });
      await slack.sendEvent(mention);
      for (const attempt of [1, 2, 3]) await slack.sendEvent(mention, { retryAttempt: attempt, retryReason: "timeout" });

      const final = await slack.waitForCall(isSlackFinal, 20_000);
      expect(slackText(final)).toMatch(/Partial result/);
      await expect.poll(() => first.councils.inFlight(), { timeout: 5_000 }).toBe(0);
      const thread = () => slack.thread(mention.event.channel, mention.event.ts);
      expect(thread().filter((message) => message.text.includes("Answer by the chairman"))).toHaveLength(1);
      expect(slack.calls.filter(isSlackCard(mention.event.ts))).toHaveLength(1);
      expect(slack.calls.filter(isSlackFinal)).toHaveLength(1);
      // The thread's last post, the council's timeline, comes after the final card: the thread is complete once it has.
      await slack.waitForCall((call) => call.method === "files.completeUploadExternal" && call.args.thread_ts === mention.event.ts, 10_000);
      expect(chatCounts(first.council.fake, TRIO)).toEqual(TRIO_ONCE);
      expect(first.store.recent(10)).toEqual([expect.objectContaining({ status: "partial" })]);

      // The bot restarts; Slack, still unsure, delivers the event once more, to the new bot.
      await first.kill();
      const second = await startSlackWorld({ slack, env: { COUNCIL_DB: db.path } });
      try {
        const mark = slack.calls.length;
        const repliesBefore = thread().length;
        await slack.sendEvent(mention, { retryAttempt: 3, retryReason: "timeout" });
        await expect.poll(() => second.council.logs.entries().some((entry) => entry.msg === "a retried event; its council already runs" && entry.eventId === "Ev0FAULT4RETRY"), { timeout: 5_000 }).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 200));

        expect(second.councils.inFlight()).toBe(0);
        expect(slack.calls.slice(mark).filter((call) => call.method === "chat.postMessage" || call.method === "chat.update")).toEqual([]);
        expect(thread()).toHaveLength(repliesBefore);
        expect(chatCounts(second.council.fake, TRIO)).toEqual(NOTHING(TRIO));
        expect(second.store.recent(10)).toEqual([expect.objectContaining({ status: "partial", question: "What is 2 + 2?" })]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await db.remove();
    }
  });
});

describe("the bot restarts", () => {
  it("5a. Discord: killed mid-council, the next bot marks the council interrupted and says so on its card", async () => {
    const db = await sharedCouncilDb();
    const first = await startDiscordWorld({ env: { COUNCIL_DB: db.path } });
    try {
      const { discord } = first;
      first.council.fake.setModel("member-b", { fault: { kind: "hang" } });
      const interaction = await first.ask("Why is the sky blue?", { preset: "pair" });
      const thread = await discord.waitForCall((call) => call.route === "startThreadFromMessage");
      const threadId = (thread.response as { id: string }).id;
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      await expect.poll(() => first.store.recent(1)[0], { timeout: 5_000 }).toMatchObject({ status: "running", threadKey: threadId });
      const id = first.store.recent(1)[0]?.id ?? "";
      await first.council.fake.waitForRequest((request) => request.model === "member-b");

      await first.kill();
      await expect.poll(() => first.council.fake.inFlight(), { timeout: 5_000 }).toBe(0);
      const mark = discord.calls.length;
      const second = await startDiscordWorld({ discord, env: { COUNCIL_DB: db.path } });
      try {
        expect(second.interrupted.map((record) => record.id)).toEqual([id]);
        await expect(second.shownInterrupted).resolves.toBe(1);
        const edit = await discord.waitForCall(after<DiscordCall>(mark)(discordCardSays("Council interrupted")), 10_000);
        expect(edit).toMatchObject({ route: "editMessage", auth: "Bot", status: 200, params: { messageId: cardId } });
        expect(cardDescription(edit)).toContain("Please ask again");
        expect(String(discord.message(discord.channelId, cardId)?.embeds[0]?.description)).toMatch(/^\*\*Council interrupted: .*Please ask again/);

        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(discord.calls.slice(mark).filter(discordCardSays("Council interrupted"))).toHaveLength(1);
        expect(discord.calls.slice(mark).filter((call) => call.route === "createMessage" || call.route === "startThreadFromMessage")).toEqual([]);
        expect(discord.messagesIn(discord.channelId).filter((message) => message.embeds.length > 0).map((message) => message.id)).toEqual([cardId]);
        // The killed bot asked no more after it died, and the new one asks nothing on its own.
        expect(chatCounts(first.council.fake, PAIR)).toEqual({ "member-a": { answers: 1, ballots: 0 }, "member-b": { answers: 1, ballots: 0 }, chair: { answers: 0, ballots: 0 } });
        expect(chatCounts(second.council.fake, PAIR)).toEqual(NOTHING(PAIR));

        expect(second.store.get(id)).toMatchObject({ status: "interrupted", reason: INTERRUPTED_BY_RESTART });
        expect(second.store.recent(10)).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await db.remove();
    }
  });

  it("5b. Slack: killed mid-council, the next bot marks the council interrupted and says so on its card", async () => {
    const db = await sharedCouncilDb();
    const first = await startSlackWorld({ env: { COUNCIL_DB: db.path } });
    try {
      const { slack } = first;
      first.council.fake.setModel("member-a", { fault: { kind: "hang" } });
      const mention = slack.appMention({ text: `<@${slack.botUserId}> Why is the sky blue?` });
      await slack.sendEvent(mention);
      const card = await slack.waitForCall(isSlackCard(mention.event.ts));
      const cardTs = (card.response as { ts: string }).ts;
      await expect.poll(() => first.store.recent(1)[0], { timeout: 5_000 }).toMatchObject({ status: "running", place: { ts: cardTs } });
      const id = first.store.recent(1)[0]?.id ?? "";
      await first.council.fake.waitForRequest((request) => request.model === "member-a");

      await first.kill();
      await expect.poll(() => first.council.fake.inFlight(), { timeout: 5_000 }).toBe(0);
      const mark = slack.calls.length;
      const second = await startSlackWorld({ slack, env: { COUNCIL_DB: db.path } });
      try {
        expect(second.interrupted.map((record) => record.id)).toEqual([id]);
        await expect(second.shownInterrupted).resolves.toBe(1);
        const edit = await slack.waitForCall(after<SlackCall>(mark)(slackCardSays(cardTs, "Council interrupted")), 10_000);
        expect(slackText(edit)).toContain("Please ask again");
        expect(slack.message(mention.event.channel, cardTs)?.text).toMatch(/Council interrupted: .*Please ask again/);

        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(slack.calls.slice(mark).filter((call) => call.method === "chat.update")).toHaveLength(1);
        expect(slack.calls.slice(mark).filter((call) => call.method === "chat.postMessage")).toEqual([]);
        expect(slack.calls.filter(isSlackCard(mention.event.ts))).toHaveLength(1);
        expect(chatCounts(first.council.fake, ["chair"])).toEqual(NOTHING(["chair"]));
        expect(chatCounts(second.council.fake, TRIO)).toEqual(NOTHING(TRIO));

        expect(second.store.get(id)).toMatchObject({ status: "interrupted", reason: INTERRUPTED_BY_RESTART });
        expect(second.store.recent(10)).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
      await db.remove();
    }
  });

  it("5c. stopping gracefully: a council outlasting the grace ends 'Council interrupted', and a question asked meanwhile is refused privately", async () => {
    const world = await startDiscordWorld();
    try {
      const { discord, council, store } = world;
      council.fake.setModel("member-b", { fault: { kind: "hang" } });
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair", user: "101" });
      await discord.waitForCall((call) => call.route === "startThreadFromMessage");
      await council.fake.waitForRequest((request) => request.model === "member-b");
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";

      const draining = world.councils.drain(300);
      const late = await world.ask("And at sunset?", { preset: "pair", user: "102" });
      const refusal = await discord.waitForCall((call) => call.route === "interactionCallback" && call.path.includes(late.id), 5_000);
      expect(refusal.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/^The council is restarting\. Please ask again in about/) } });

      const final = await discord.waitForCall(discordCardSays("Council interrupted"), 10_000);
      expect(cardDescription(final)).toContain(`Council interrupted: ${INTERRUPTED_BY_STOP}`);
      await expect(draining).resolves.toEqual({ finished: 0, interrupted: 1 });
      expect(String(discord.message(discord.channelId, cardId)?.embeds[0]?.description)).toMatch(/^\*\*Council interrupted/);

      expect(discordCardEdits(discord.calls, interaction.token, cardId).filter(discordCardSays("Council interrupted"))).toHaveLength(1);
      expect(discord.calls.filter((call) => call.route === "interactionCallback")).toHaveLength(2);
      // The refusal is the late interaction's only answer: a private reply, never a deferred card.
      expect(discord.interaction(late.id)?.ack).toMatchObject({ type: 4, ephemeral: true });
      expect(discord.messagesIn(discord.channelId).filter((message) => message.embeds.length > 0).map((message) => message.id)).toEqual([cardId]);
      expect(chatCounts(council.fake, PAIR)).toEqual({ "member-a": { answers: 1, ballots: 0 }, "member-b": { answers: 1, ballots: 0 }, chair: { answers: 0, ballots: 0 } });

      const records = store.recent(10);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ status: "interrupted", reason: INTERRUPTED_BY_STOP });
    } finally {
      await world.close();
    }
  });
});

describe("the bot's own database fails", () => {
  it("6a. locked by another process while a record is written: the council answers, the error is logged once, the record ends completed", async () => {
    const world = await startDiscordWorld({ decodeTokensPerSecond: 30 });
    const other = new Database(world.council.config.COUNCIL_DB);
    try {
      const { discord, council, store } = world;
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });
      await expect.poll(() => store.recent(1)[0]?.status, { timeout: 5_000 }).toBe("running");
      const id = store.recent(1)[0]?.id ?? "";
      // Another process (a backup, say) takes the write lock until the next record write has failed.
      other.exec("BEGIN EXCLUSIVE");
      await expect.poll(() => errorLogs(council.logs).length, { timeout: 10_000 }).toBe(1);
      other.exec("ROLLBACK");

      const final = await discord.waitForCall(isFinalCard, 20_000);
      expect(cardDescription(final)).toMatch(/^\*\*Council completed/);
      expect(cardDescription(final)).toContain(CHAIR_ANSWER);
      await expect.poll(() => world.councils.inFlight(), { timeout: 5_000 }).toBe(0);

      const errors = errorLogs(council.logs);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: "SQLITE_BUSY", msg: expect.stringContaining("cannot write the council database") });
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      expect(discordCardEdits(discord.calls, interaction.token, cardId).filter(isFinalCard)).toHaveLength(1);
      expect(chatCounts(council.fake, PAIR)).toEqual(PAIR_ONCE);

      expect(store.recent(10)).toHaveLength(1);
      expect(store.get(id)).toMatchObject({ status: "completed", verdict: { text: CHAIR_ANSWER } });
    } finally {
      other.close();
      await world.close();
    }
  });

  it("6b. full while the council is written: the council answers, the error is logged once, and the record does not stay 'running'", async () => {
    const world = await startDiscordWorld();
    try {
      const { discord, council, store, db } = world;
      // Long answers: a record that holds them needs pages the database may no longer add.
      const long = `${"The sky looks blue because air scatters short wavelengths of sunlight more than long ones. ".repeat(120)}`;
      council.fake.setModel("member-a", { answer: (request) => (request.format === undefined ? long : JSON.stringify(jsonInstance(request.format))) });
      const interaction = await world.ask("Why is the sky blue?", { preset: "pair" });
      await expect.poll(() => store.recent(1)[0]?.status, { timeout: 5_000 }).toBe("running");
      const id = store.recent(1)[0]?.id ?? "";
      // The disk is full from here on: no page may be added to the database.
      db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);

      const final = await discord.waitForCall(isFinalCard, 20_000);
      expect(cardDescription(final)).toMatch(/^\*\*Council completed/);
      expect(cardDescription(final)).toContain(CHAIR_ANSWER);
      await expect.poll(() => world.councils.inFlight(), { timeout: 5_000 }).toBe(0);

      const errors = errorLogs(council.logs);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: "SQLITE_FULL", msg: expect.stringContaining("cannot write the council database") });
      const cardId = discord.interaction(interaction.id)?.originalMessageId ?? "";
      expect(discordCardEdits(discord.calls, interaction.token, cardId).filter(isFinalCard)).toHaveLength(1);
      expect(chatCounts(council.fake, PAIR)).toEqual(PAIR_ONCE);

      // Space is freed. A record left "running" would be taken, at the next start, for a council
      // the restart cut off: its answered card would be edited to "Council interrupted … Please ask again".
      db.pragma("max_page_count = 1073741823");
      expect(store.recent(10)).toHaveLength(1);
      await expect.poll(() => store.get(id)?.status, { timeout: 3_000 }).toBe("completed");
    } finally {
      await world.close();
    }
  });
});
