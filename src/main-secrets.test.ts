import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from "../test-support/fake-discord/index.js";
import { type FakeOllamaServer, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { type FakeSlack, startFakeSlack } from "../test-support/fake-slack/index.js";
import { startWorker } from "../test-support/start-worker.js";
import { BROKEN_MODEL_ERROR, TEST_PRESETS } from "../test-support/test-council.js";

// No secret reaches a log line, whatever path it takes. The real composition root (src/main.ts,
// as `npm start` runs it) is started as a child process with recognisable secrets, serves a
// council on Discord and one on Slack through a worker that requires WORKER_TOKEN, goes
// through failure paths that log errors (a member answering 500, a second worker refusing the
// token with 401, a card edit Discord refuses), and everything it wrote is grepped: its log
// lines, what it told the chat platforms, and the council record it kept.

// Every secret carries the marker, so a leaked fragment of one is found too.
const MARKER = "s3cr3t";
const SECRETS = {
  WORKER_TOKEN: `wt-${MARKER}-worker-token-0123456789`,
  DISCORD_TOKEN: `MTIzNDU2.${MARKER}A1.${MARKER}-discord-hmac-0123456789`,
  SLACK_BOT_TOKEN: `xoxb-${MARKER}-slack-bot-0123456789`,
  SLACK_APP_TOKEN: `xapp-1-A0APP0001-${MARKER}-app-0123456789`,
  SLACK_SIGNING_SECRET: `${MARKER}-signing-secret-0123456789`,
};
const OTHER_WORKERS_TOKEN = "another-workers-token-9876543210";
const root = fileURLToPath(new URL("..", import.meta.url));
const textOfCall = (call: { body?: unknown; response?: unknown }) => JSON.stringify([call.body ?? null, call.response ?? null]);
const descriptionOf = (call: RecordedCall) => String((call.body as { embeds?: Array<{ description?: string }> } | undefined)?.embeds?.[0]?.description ?? "");
const isFinalDiscordCard = (call: RecordedCall) =>
  (call.route === "editOriginal" || call.route === "editMessage") && call.status === 200 && /^\*\*(Council completed|Partial result|Council failed)/.test(descriptionOf(call));

let ollama: FakeOllamaServer;
let worker: Awaited<ReturnType<typeof startWorker>>;
let refusingWorker: Awaited<ReturnType<typeof startWorker>>;
let discord: FakeDiscord;
let slack: FakeSlack;
let dir: string;
let bot: ChildProcess;
let stdout = "";
let stderr = "";
let exited: Promise<number | null>;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: {
      // Slow enough for the cards to be edited between stages.
      "member-a": { decodeTokensPerSecond: 30 },
      "member-b": { decodeTokensPerSecond: 30 },
      "member-broken": { fault: { kind: "http-error", status: 500, message: BROKEN_MODEL_ERROR } },
      chair: { answer: "The chairman's answer: the sky is blue because air scatters blue light most." },
    },
  });
  worker = await startWorker(ollama.url, { WORKER_TOKEN: SECRETS.WORKER_TOKEN });
  // Another worker, whose token is not the bot's: the bot's probe gets 401 there and logs it.
  refusingWorker = await startWorker(ollama.url, { WORKER_TOKEN: OTHER_WORKERS_TOKEN });
  discord = await startFakeDiscord({ token: SECRETS.DISCORD_TOKEN });
  slack = await startFakeSlack({
    botToken: SECRETS.SLACK_BOT_TOKEN,
    appToken: SECRETS.SLACK_APP_TOKEN,
    users: [
      { id: "U0USER001", name: "tester" },
      { id: "U0ADMIN01", name: "admin", isAdmin: true },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), "council-secrets-"));
  const presetsFile = join(dir, "presets.json");
  await writeFile(presetsFile, JSON.stringify(TEST_PRESETS));

  // Node itself with tsx's loader (as `npm start` runs it, without tsx's CLI in between), so
  // the signals below reach the bot and nothing outlives the test.
  const loader = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
  bot = spawn(process.execPath, ["--import", loader, join(root, "src/main.ts")], {
    // A directory without a .env, so only these settings count; the council store, if any, goes there too.
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      LOG_LEVEL: "debug",
      WORKER_URLS: `${worker.url},${refusingWorker.url}`,
      CHAIRMAN_URL: ollama.url,
      COUNCIL_CONFIG: presetsFile,
      ...SECRETS,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_API_URL: discord.restBase,
      SLACK_MODE: "socket",
      SLACK_API_URL: slack.apiUrl,
      SLACK_ADMIN_USER_IDS: "U0ADMIN01",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  bot.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  bot.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  exited = new Promise((resolve) => bot.once("exit", (code) => resolve(code)));
  await until(() => stdout.includes("Discord gateway connected") && stdout.includes("Slack app connected"), 20_000);
}, 30_000);

/** Waits for the bot to get somewhere, failing at once, with what it said, if it exits. */
async function until(ready: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (bot.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the bot did not start (exit code ${bot.exitCode}):\n${stderr}\n${stdout.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await Promise.allSettled([discord.close(), slack.close()]);
  await worker.close();
  await refusingWorker.close();
  await ollama.close();
  await rm(dir, { recursive: true, force: true });
});

describe("secrets in the logs of the whole bot (src/main.ts)", () => {
  const interactionTokens: string[] = [];

  it("runs a council on Discord through the guarded worker, with a member failing and a card edit refused", async () => {
    // One card update between stages is refused: the bot logs the error discord.js threw,
    // which quotes the URL it called, interaction token and all.
    discord.failNext((call) => call.route === "editOriginal" && descriptionOf(call).startsWith("**Stage"), { status: 400, code: 50035 });
    const interaction = discord.interactionCommand({ name: "council", options: { question: "Why is the sky blue?" } });
    interactionTokens.push(interaction.token);
    discord.dispatch("INTERACTION_CREATE", interaction);
    const final = await discord.waitForCall(isFinalDiscordCard, 20_000);
    const card = textOfCall(final);
    expect(card).toContain("Answer by the chairman (chair)");
    expect(card).toContain(BROKEN_MODEL_ERROR);
    // The council went through the worker that requires the token.
    expect(ollama.requests.some((request) => request.path === "/api/chat" && request.model === "member-a")).toBe(true);
  });

  it("runs a council on Slack, with Slack failing the final card update once", async () => {
    // Slack's transient ok:false: logged, retried, and the final card still arrives.
    slack.failNext((call) => call.method === "chat.update" && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? "")), { error: "internal_error" });
    await slack.sendEvent(slack.appMention({ text: `<@${slack.botUserId}> Why is the sea salty?` }));
    await slack.waitForCall((call) => call.method === "chat.update" && call.ok === true && /Council completed|Partial result|Council failed/.test(String(call.args.text ?? "")), 20_000);
  });

  it("shows an admin the recent failures without a secret", async () => {
    const interaction = discord.interactionCommand({ name: "council-health", permissions: "8" });
    interactionTokens.push(interaction.token);
    discord.dispatch("INTERACTION_CREATE", interaction);
    const report = await discord.waitForCall((call) => call.route === "editOriginal" && call.path.includes(interaction.token), 15_000);
    expect(textOfCall(report)).toContain("Recent failures");
    expect(textOfCall(report)).not.toContain(MARKER);
  });

  it("stops on SIGTERM, and not one line it wrote holds a secret, a fragment of one, or an interaction token", async () => {
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
    const lines = stdout.split("\n").filter(Boolean);
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; reason?: string; err?: unknown });
    const messages = entries.map((entry) => entry.msg);

    // The capture holds the lines of every path taken, so the grep below can fail.
    expect(messages).toContain("Discord gateway connected");
    expect(messages).toContain("Slack app connected");
    const refused = entries.find((entry) => entry.msg?.startsWith("server not reachable") && entry.reason?.includes(refusingWorker.url));
    expect(refused?.reason).toContain("WORKER_TOKEN");
    const cardFailures = entries.filter((entry) => entry.msg === "a card update failed").map((entry) => JSON.stringify(entry.err));
    expect(cardFailures.some((err) => err.includes("DiscordAPIError") && err.includes("/webhooks/"))).toBe(true);
    expect(cardFailures.some((err) => err.includes("internal_error"))).toBe(true);
    expect(messages.some((message) => message?.startsWith("stopping"))).toBe(true);

    const everything = [stdout, stderr, worker.logs.text(), refusingWorker.logs.text()];
    for (const text of everything) {
      expect(text).not.toContain(MARKER);
      for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
      // An interaction token lets anyone edit the bot's reply for 15 minutes: a secret too.
      for (const token of interactionTokens) expect(text).not.toContain(token);
    }
    // Nor the council record, errors and all (SQLite keeps text as it is, in the file or its WAL).
    const recorded = (await readdir(join(dir, "data"))).map((name) => join(dir, "data", name));
    const record = (await Promise.all(recorded.map((file) => readFile(file)))).map((bytes) => bytes.toString("latin1")).join("\n");
    expect(record).toContain("Why is the sky blue?");
    expect(record).not.toContain(MARKER);
    // Nor did one reach a chat message (a card naming an error, say).
    for (const call of discord.calls) expect(textOfCall(call)).not.toContain(MARKER);
    for (const call of slack.calls) expect(JSON.stringify([call.args, call.response ?? null])).not.toContain(MARKER);
  });
});
