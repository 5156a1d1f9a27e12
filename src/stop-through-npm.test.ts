import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { writeFile } from "node:fs/promises";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPEAT_IS_SAME_MS } from "../config/stop-signals.js";
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from "../test-support/fake-discord/index.js";
import { type FakeOllamaServer, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { cpuSecondsOf, createNpmProject, type NpmProject, type NpmRun } from "../test-support/npm-project.js";
import { TEST_PRESETS } from "../test-support/test-council.js";
import { INTERRUPTED_BY_STOP } from "./council-service.js";

// `npm start` stopped the way a supervisor stops it (SIGTERM to npm's pid, as `docker stop`
// does when npm is the container's command) and the way a terminal does (Ctrl-C signals the
// whole foreground group), while a council runs on Discord: the bot drains, npm exits with the
// bot's code, and nothing of the group is left; a second signal stops it at once, with the
// council recorded interrupted and its card saying so. And the same stop when the reader of its
// log has gone (`npm start | head`).

const TOKEN = "MTIzNDU2.fake-discord-token.0123456789";
const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i}`).join(" ");
const descriptionOf = (call: RecordedCall) => String((call.body as { embeds?: Array<{ description?: string }> } | undefined)?.embeds?.[0]?.description ?? "");
const isCardSaying = (pattern: RegExp) => (call: RecordedCall) =>
  (call.route === "editOriginal" || call.route === "editMessage") && call.status === 200 && pattern.test(descriptionOf(call));

let project: NpmProject;
let discord: FakeDiscord;
let ollama: FakeOllamaServer | undefined;

beforeEach(async () => {
  project = await createNpmProject();
  discord = await startFakeDiscord({ token: TOKEN });
});
afterEach(async () => {
  await project.remove();
  await discord.close();
  await ollama?.close();
  ollama = undefined;
});

/** `npm start` serving Discord, with members that answer `answerWords` words at 40 a second. */
async function startBot(answerWords: number, logLevel = "info"): Promise<NpmRun> {
  const member = { decodeTokensPerSecond: 40, answer: words(answerWords) };
  ollama = await startFakeOllama({ models: { "member-a": member, "member-b": member, chair: { answer: "The chairman's answer." } } });
  const presets = join(project.dir, "presets.json");
  await writeFile(presets, JSON.stringify({ ...TEST_PRESETS, default: "pair" }));
  const bot = project.run(["start"], {
    LOG_LEVEL: logLevel,
    WORKER_URLS: ollama.url,
    CHAIRMAN_URL: ollama.url,
    COUNCIL_CONFIG: presets,
    COUNCIL_DB: join(project.dir, "council.db"),
    DISCORD_TOKEN: TOKEN,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_API_URL: discord.restBase,
  });
  await bot.waitForLog("Discord gateway connected", 60_000);
  return bot;
}

/** Asks a council on Discord and resolves once its members are generating. */
async function askCouncil(): Promise<void> {
  discord.dispatch("INTERACTION_CREATE", discord.interactionCommand({ name: "council", options: { question: "Why is the sky blue?" } }));
  // A question, not the preload of the preset's models (a chat without messages).
  const asked = (body: unknown) => ((body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0;
  await ollama?.waitForRequest((request) => request.path === "/api/chat" && asked(request.body) && request.firstByteAt !== undefined, 20_000);
}

function recordedStatus(): unknown {
  const db = new Database(join(project.dir, "council.db"), { readonly: true });
  try {
    return db.prepare("SELECT status, reason FROM councils").all();
  } finally {
    db.close();
  }
}

describe("npm start, stopped while a council runs", () => {
  it("on SIGTERM to npm: lets the council finish, exits 0 through npm, and leaves no process behind", async () => {
    const bot = await startBot(40);
    await askCouncil();

    process.kill(bot.pid, "SIGTERM");
    expect(await bot.waitForLog("stopping: no new councils, running ones may finish")).toMatchObject({ signal: "SIGTERM", running: 1 });
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(await bot.survivors()).toEqual([]);
    expect(bot.logs().find((entry) => entry.msg === "councils drained")).toMatchObject({ finished: 1, interrupted: 0 });
    expect(discord.calls.some(isCardSaying(/^\*\*(Council completed|Partial result)/))).toBe(true);
    expect(recordedStatus()).toEqual([expect.objectContaining({ status: expect.stringMatching(/^(completed|partial)$/) })]);
  }, 120_000);

  it("on Ctrl-C (SIGINT to the whole group, which npm forwards too): drains once, exits 0, and leaves no process behind", async () => {
    const bot = await startBot(40);
    await askCouncil();

    process.kill(-bot.pid, "SIGINT");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(await bot.survivors()).toEqual([]);
    // The bot got the signal twice, from the terminal and from npm, and took it as one request.
    expect(bot.logs().filter((entry) => entry.msg === "stopping: no new councils, running ones may finish")).toHaveLength(1);
    expect(bot.logs().find((entry) => entry.msg === "second signal: stopping at once")).toBeUndefined();
    expect(bot.logs().find((entry) => entry.msg === "councils drained")).toMatchObject({ finished: 1, interrupted: 0 });
  }, 120_000);

  it("on a second SIGTERM: stops at once, the council recorded interrupted and its card saying so, and npm dies of the signal", async () => {
    // 4000 words at 40 a second: the council would run for minutes.
    const bot = await startBot(4000);
    await askCouncil();

    process.kill(bot.pid, "SIGTERM");
    await bot.waitForLog("stopping: no new councils, running ones may finish");
    await delay(REPEAT_IS_SAME_MS + 200);
    process.kill(bot.pid, "SIGTERM");

    // npm sees its script die of SIGTERM and ends itself the same way.
    expect(await bot.exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(await bot.survivors()).toEqual([]);
    expect(bot.logs().find((entry) => entry.msg === "councils marked interrupted")).toMatchObject({ interrupted: 1, cardsLeft: 0 });
    expect(recordedStatus()).toEqual([{ status: "interrupted", reason: INTERRUPTED_BY_STOP }]);
    expect(discord.calls.some(isCardSaying(/^\*\*Council interrupted/))).toBe(true);
    // Its members' requests to Ollama were not left generating.
    await expect.poll(() => ollama?.inFlight(), { timeout: 5_000 }).toBe(0);
  }, 120_000);
});

describe("npm start, its log piped into a reader that has gone", () => {
  it("logs into the closed pipe without spinning, and still stops on SIGTERM, exiting 0", async () => {
    const bot = await startBot(10, "debug");
    bot.child.stdout?.destroy();
    // A council, logged at debug level, into a pipe nobody reads.
    discord.dispatch("INTERACTION_CREATE", discord.interactionCommand({ name: "council", options: { question: "Why is the sky blue?" } }));
    await discord.waitForCall(isCardSaying(/^\*\*(Council completed|Partial result)/), 30_000);

    const pid = await bot.scriptPid();
    const before = await cpuSecondsOf(pid);
    await delay(2_000);
    // Idle, it uses next to nothing; a loop retrying the write would use most of the 2 s.
    expect((await cpuSecondsOf(pid)) - before).toBeLessThan(0.5);

    process.kill(bot.pid, "SIGTERM");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(await bot.survivors()).toEqual([]);
  }, 120_000);
});
