import { type ChildProcess, fork } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { build } from "esbuild";
import type { RecordStatus } from "../src/store/council-record.js";
import { CARD_UPDATE_INTERVAL_MS, WORKSPACE_UPDATES_PER_MINUTE } from "../adapters/slack/slack-bot.js";
import { type FakeModel, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { type EventCallback, type FakeSlack, type RecordedCall, startFakeSlack } from "../test-support/fake-slack/index.js";
import { startWorker } from "../test-support/start-worker.js";
// Types only: importing a value would run the bot's module in this process.
import type { ChildMessage, ParentMessage } from "./load-bot.js";
import { percentile, printTable } from "./stats.js";

// The bot under load (issue 6, "Figures"): 200 councils from 50 users (4 each) through Slack
// in Socket Mode, against a real worker with 4 slots per model in front of the fake Ollama.
// The bot runs in a process of its own (bench/load-bot.ts, with --expose-gc), so its memory is
// not the fakes'. Prints: councils lost (from the bot's council store), mentions without a
// card or with two, the fairness of the queue (each user's mean wait from admission to start:
// spread and Jain's index, next to what strict round-robin and FIFO would give), how long a
// seat stays taken after its council ended, the bot's peak RSS (target <= 200 MB) and its heap
// after the burst against before it (after forced GCs; target within 10%), the wall time and
// councils a second.
//
// Knobs, for looking closer (defaults are the issue's figures):
//   LOAD_ARRIVAL_MS=5000         spread the mentions evenly over that long (default 0: all at once)
//   LOAD_BURSTS=3                bursts one after the other: growth that goes on is a leak
//   LOAD_UPDATES_PER_MINUTE=45   the bot's real Slack budget (default 60000)
//   LOAD_USERS=5                 fewer users (4 councils each)
//   LOAD_TOKENS_PER_SECOND=120   the fake models' decode rate
//   LOAD_BOT_TSX=1               the bot under tsx instead of as the esbuild bundle npm start runs
//   LOAD_HEAP_SNAPSHOT_DIR=/tmp/x  heap snapshots at each memory reading (they cost RSS)
//   LOAD_DEADLINE_S=150          how long a burst may take

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${process.env[name]}`);
  return value;
};
const USERS = int("LOAD_USERS", 50);
const PER_USER = 4;
const COUNCILS = USERS * PER_USER;
const BURSTS = Math.max(1, int("LOAD_BURSTS", 1));
const SLOTS = 4;
const ARRIVAL_MS = int("LOAD_ARRIVAL_MS", 0);
const TOKENS_PER_SECOND = int("LOAD_TOKENS_PER_SECOND", 120);
/** The bot's chat.update budget: far above Slack's 45 a minute by default, so the queue, not Slack, sets the pace. */
const UPDATES_PER_MINUTE = int("LOAD_UPDATES_PER_MINUTE", 60_000);
const DEADLINE_MS = int("LOAD_DEADLINE_S", 150) * 1000;
const BUNDLE = process.env.LOAD_BOT_TSX !== "1";
const RSS_TARGET_MB = 200;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const HEAP_TARGET = 0.1;

const BOT_TOKEN = "xoxb-load-bench-bot-token-0123";
const APP_TOKEN = "xapp-1-A0APP0001-load-bench-app-token";
const WARM_USERS = ["U0WARMUP1", "U0WARMUP2", "U0WARMUP3", "U0WARMUP4", "U0WARMUP5"];
const WARM_PER_USER = 4;
const userId = (index: number) => `U0LOAD${String(index + 1).padStart(3, "0")}`;
const FINAL = /Council completed|Partial result|Council failed|Council interrupted/;

const MODELS: Record<string, FakeModel> = {
  "member-a": { decodeTokensPerSecond: TOKENS_PER_SECOND, parallel: SLOTS },
  "member-b": { decodeTokensPerSecond: TOKENS_PER_SECOND, parallel: SLOTS },
  chair: { decodeTokensPerSecond: TOKENS_PER_SECOND, parallel: SLOTS, answer: "The chairman's answer: the sky is blue because air scatters blue light most." },
};

const PRESETS = {
  default: "load",
  presets: {
    load: {
      members: [
        { name: "Alpha", model: "member-a" },
        { name: "Bravo", model: "member-b" },
      ],
      chairman: "chair",
      limits: { callTimeoutSeconds: 60, stageTimeoutSeconds: 120 },
    },
  },
};

type Memory = Extract<ChildMessage, { type: "memory" }>;

interface Mention {
  user: string;
  payload: EventCallback;
}

interface Burst {
  mentions: Mention[];
  startedAt: number;
  lastAckAt: number;
  allFinal: boolean;
  idle: boolean;
  after: Memory;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "council-load-"));
  const dbFile = join(dir, "council.db");
  const logFile = join(dir, "bot.log");
  const presetsFile = join(dir, "presets.json");
  await writeFile(presetsFile, JSON.stringify(PRESETS));

  const fake = await startFakeOllama({ models: MODELS });
  const worker = await startWorker(fake.url, { WORKER_PARALLEL: SLOTS, WORKER_QUEUE: 1_000 });
  const slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    users: [...WARM_USERS.map((id, i) => ({ id, name: `warmup${i + 1}` })), ...Array.from({ length: USERS }, (_, i) => ({ id: userId(i), name: `user${i + 1}` }))],
    // Generous: the figures are about the bot's queue and memory, not Slack's tiers.
    rateLimits: { "chat.update": { limit: 1_000_000, windowMs: 60_000 }, "conversations.replies": false },
  });
  const logFd = openSync(logFile, "w");
  const entry = await botEntry(dir);
  const bot = startBot(
    entry,
    {
      WORKER_URLS: worker.url,
      CHAIRMAN_URL: fake.url,
      COUNCIL_CONFIG: presetsFile,
      COUNCIL_DB: dbFile,
      COUNCIL_MAX_IN_FLIGHT: String(SLOTS),
      COUNCIL_QUEUE_MAX: String(COUNCILS),
      COUNCIL_USER_QUEUE: String(PER_USER - 1),
      COUNCIL_USER_PER_HOUR: String(PER_USER * BURSTS),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_MODE: "socket",
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: "info",
      LOAD_UPDATES_PER_MINUTE: String(UPDATES_PER_MINUTE),
    },
    logFd,
  );

  try {
    const ready = await bot.next("ready", 60_000);
    if (ready.type !== "ready") throw new Error("unreachable");
    const cards = trackCards(slack);

    // A small burst first, from users outside the measured one, with more councils than seats:
    // the code paths of a council, of the queue and of its position updates are loaded and
    // compiled, and the connections opened, before "before" is measured.
    const warm = WARM_USERS.flatMap((user) => Array.from({ length: WARM_PER_USER }, (_, k) => slack.appMention({ text: `Warm-up ${k + 1} of ${user}: why is the sky blue?`, user })));
    await Promise.all(warm.map((mention) => slack.sendEvent(mention)));
    await waitUntil(() => (cards.scan(), warm.every((mention) => cards.finalOf(mention) !== undefined)), 60_000, "the warm-up councils' final cards");
    await waitIdle(bot, 30_000);
    await settle();
    const before = await bot.memory("before");

    const bursts: Burst[] = [];
    for (let b = 0; b < BURSTS; b += 1) {
      const mentions: Mention[] = [];
      for (let u = 0; u < USERS; u += 1) {
        for (let k = 0; k < PER_USER; k += 1) {
          const text = `Question ${k + 1} of ${userId(u)}${BURSTS > 1 ? ` (burst ${b + 1})` : ""}: why is the sky blue?`;
          mentions.push({ user: userId(u), payload: slack.appMention({ text, user: userId(u) }) });
        }
      }
      const startedAt = Date.now();
      await Promise.all(
        mentions.map(async (mention, i) => {
          if (ARRIVAL_MS > 0) await sleep((i * ARRIVAL_MS) / COUNCILS);
          return slack.sendEvent(mention.payload, { timeoutMs: 30_000 });
        }),
      );
      const lastAckAt = Date.now();
      const allFinal = await succeeds(waitUntil(() => (cards.scan(), mentions.every((mention) => cards.finalOf(mention.payload) !== undefined)), DEADLINE_MS, "every final card"));
      const idle = await succeeds(waitIdle(bot, allFinal ? 30_000 : 1_000));
      await settle();
      bursts.push({ mentions, startedAt, lastAckAt, allFinal, idle, after: await bot.memory(`after-burst-${b + 1}`) });
      if (!allFinal) break;
    }
    const hwm = vmHwm(bot.process.pid);
    await bot.stop();
    cards.scan();
    report({ slack, cards, bursts, records: readRecords(dbFile), ready, before, hwm, logFile, how: entry.how });
  } catch (error) {
    // The temp folder goes with the run: show the end of the bot's log while it is there.
    const tail = readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n");
    console.error(`the run failed; the bot's log ends with:\n${tail}`);
    throw error;
  } finally {
    bot.kill();
    closeSync(logFd);
    await slack.close();
    await worker.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Report {
  slack: FakeSlack;
  cards: CardTracker;
  bursts: Burst[];
  records: RecordTimes[];
  ready: Extract<ChildMessage, { type: "ready" }>;
  before: Memory;
  hwm: number | undefined;
  logFile: string;
  /** How the bot's process runs. */
  how: string;
}

/** One council of a burst: its mention, its record, its final card. */
interface Council {
  user: string;
  record?: RecordTimes;
  cards: number;
  final?: RecordedCall;
}

function councilsOf(burst: Burst, r: Report): Council[] {
  const byThread = new Map(r.records.map((record) => [record.threadKey, record]));
  return burst.mentions.map((mention) => {
    const event = mention.payload.event as { channel: string; ts: string };
    const record = byThread.get(`${event.channel}:${event.ts}`);
    const final = r.cards.finalOf(mention.payload);
    return { user: mention.user, ...(record && { record }), cards: r.cards.cardsOf(mention.payload).length, ...(final && { final }) };
  });
}

/** Timing figures of a burst, all from the store's records except the final card's time, from the fake Slack. */
function timingsOf(burst: Burst, councils: Council[]) {
  const ran = councils.filter((council) => council.record?.startedAt !== undefined && council.record.finishedAt !== undefined);
  const waitOf = (council: Council) => (council.record?.startedAt ?? 0) - (council.record?.createdAt ?? 0);
  const runOf = (council: Council) => (council.record?.finishedAt ?? 0) - (council.record?.startedAt ?? 0);
  const waits = ran.map(waitOf);
  const runs = ran.map(runOf);
  const shown = ran.filter((council) => council.final?.answeredAt !== undefined);
  // The seat is given back when the card's showing ends (run.close() after the final update).
  const seatAfterEnd = shown.map((council) => (council.final?.answeredAt ?? 0) - (council.record?.finishedAt ?? 0));
  const seats = shown.map((council) => (council.final?.answeredAt ?? 0) - (council.record?.startedAt ?? 0));
  const perUser = [...groupBy(ran, (council) => council.user).values()].map((list) => mean(list.map(waitOf)));
  const firstStart = Math.min(...ran.map((council) => council.record?.startedAt ?? Number.POSITIVE_INFINITY));
  const lastEnd = Math.max(...ran.map((council) => council.record?.finishedAt ?? 0));
  const lastFinal = Math.max(...councils.map((council) => council.final?.answeredAt ?? 0));
  const wallMs = lastFinal - burst.startedAt;
  return {
    waits,
    runs,
    seats,
    seatAfterEnd,
    perUser,
    wallMs,
    completed: councils.filter((council) => council.record?.status === "completed").length,
    /** Of the slots' time between the first start and the last end, the share spent deliberating. */
    utilization: runs.reduce((a, b) => a + b, 0) / (SLOTS * (lastEnd - firstStart)),
  };
}

function report(r: Report): void {
  const { slack } = r;
  const first = r.bursts[0];
  if (!first) return;
  const all = r.bursts.flatMap((burst) => councilsOf(burst, r));
  const byStatus = countBy(all.map((council) => council.record?.status ?? "no record"));
  const burstUsers = new Set(all.map((council) => council.user));
  const refusals = slack.ephemerals.filter((ephemeral) => burstUsers.has(ephemeral.user));
  const finalTexts = countBy(all.map((council) => (council.final ? (String(council.final.args.text).match(FINAL)?.[0] ?? "?") : "no final card")));
  const total = all.length;

  console.log(`Load: ${COUNCILS} councils from ${USERS} users (${PER_USER} each) through Slack (Socket Mode, one workspace, one channel)${BURSTS > 1 ? `, ${BURSTS} bursts one after the other` : ""}`);
  console.log(
    `arrival: ${ARRIVAL_MS > 0 ? `spread evenly over ${ARRIVAL_MS} ms` : "all at once"}, each user's ${PER_USER} back to back (u1 x${PER_USER}, u2 x${PER_USER}, ...); all acked by the bot within ${first.lastAckAt - first.startedAt} ms`,
  );
  console.log(
    `bot: own process (${r.how}), COUNCIL_MAX_IN_FLIGHT=${SLOTS}, COUNCIL_QUEUE_MAX=${COUNCILS}, COUNCIL_USER_QUEUE=${PER_USER - 1}, COUNCIL_USER_PER_HOUR=${PER_USER * BURSTS}; SQLite store in a temp folder; LOG_LEVEL=info to a file`,
  );
  console.log(
    `Slack: fake chat.update limit 1,000,000/min; the bot's chat.update budget ${UPDATES_PER_MINUTE}/min (real: ${WORKSPACE_UPDATES_PER_MINUTE}/min per workspace)${UPDATES_PER_MINUTE > WORKSPACE_UPDATES_PER_MINUTE ? ", raised so that Slack's Tier 3 does not set the pace" : ""}; a card at most every ${CARD_UPDATE_INTERVAL_MS} ms (real)`,
  );
  console.log(
    `models: preset "load" = 2 members (member-a, member-b) through a real worker (WORKER_PARALLEL=${SLOTS}) + a chairman on the fake Ollama directly; fake decode ${TOKENS_PER_SECOND} tok/s, ${SLOTS} slots per model`,
  );
  console.log(`warm-up: ${WARM_USERS.length * WARM_PER_USER} councils from ${WARM_USERS.length} other users, at once, before the burst (not counted below)\n`);

  console.log("Nothing lost");
  printTable(
    ["figure", "value", "target"],
    [
      ["councils asked (mentions sent)", String(total), String(total)],
      ["  recorded completed", String(byStatus.get("completed") ?? 0), String(total)],
      ...[...byStatus].filter(([status]) => status !== "completed").map(([status, count]) => [`  recorded ${status}`, String(count), "0"]),
      ["refused (ephemeral answers)", String(refusals.length), "0"],
      ["mentions with no card", String(all.filter((council) => council.cards === 0).length), "0"],
      ["mentions with more than one card", String(all.filter((council) => council.cards > 1).length), "0"],
      ...[...finalTexts].map(([text, count]) => [`final card: ${text}`, String(count), text === "Council completed" ? String(total) : "0"]),
      ["bot idle at the end (nothing running or waiting)", r.bursts.every((burst) => burst.idle) ? "yes" : "NO", "yes"],
      ["chat.update calls (warm-up included) / 429s", `${slack.callsTo("chat.update").length} / ${slack.rateLimitHits}`, "- / 0"],
    ],
  );

  const t = timingsOf(first, councilsOf(first, r));
  console.log(`\nFairness${BURSTS > 1 ? " (burst 1)" : ""}: wait from admission to start (store: createdAt -> startedAt)`);
  const meanSeat = mean(t.seats);
  printTable(
    ["", "min", "p50", "max", "max-min", "Jain"],
    [
      ["per-user mean wait", s(Math.min(...t.perUser)), s(percentile(t.perUser, 50)), s(Math.max(...t.perUser)), s(Math.max(...t.perUser) - Math.min(...t.perUser)), jain(t.perUser).toFixed(3)],
      ...(ARRIVAL_MS === 0
        ? [
            referenceRow("  reference: strict round-robin", (u, k) => k * USERS + u, meanSeat),
            referenceRow("  reference: FIFO in arrival order", (u, k) => u * PER_USER + k, meanSeat),
          ]
        : []),
    ],
  );
  if (ARRIVAL_MS === 0) console.log(`(references: ${COUNCILS} equal councils holding a seat for the measured mean ${s(meanSeat)}, ${SLOTS} at a time, all arriving at once)`);
  console.log(`every council's wait: p50 ${s(percentile(t.waits, 50))}, p99 ${s(percentile(t.waits, 99))}, max ${s(Math.max(...t.waits))}`);

  console.log(`\nThroughput${BURSTS > 1 ? " (burst 1)" : ""}`);
  printTable(
    ["figure", "p50", "mean", "max"],
    [
      ["council run (store: startedAt -> finishedAt)", s(percentile(t.runs, 50)), s(mean(t.runs)), s(Math.max(...t.runs))],
      ["seat held after the council ended (-> final card)", s(percentile(t.seatAfterEnd, 50)), s(mean(t.seatAfterEnd)), s(Math.max(...t.seatAfterEnd))],
    ],
  );
  console.log(
    `wall time, first mention to last final card: ${(t.wallMs / 1000).toFixed(1)} s; ${(t.completed / (t.wallMs / 1000)).toFixed(2)} councils/s (${(SLOTS * 1000 / mean(t.runs)).toFixed(2)} if seats were freed when councils end); slots deliberating ${(t.utilization * 100).toFixed(0)}% of the time`,
  );

  console.log("\nMemory of the bot's process (after forced GCs)");
  const row = (name: string, memory: Memory | Report["ready"]) => [
    name,
    mb(memory.windowPeakRss),
    mb(memory.usage.rss),
    mb(memory.usage.heapUsed),
    mb(memory.spaces.old_space ?? 0),
    mb(memory.spaces.code_space ?? 0),
    mb(memory.usage.heapTotal),
    mb(memory.usage.external),
  ];
  printTable(
    ["", "peak rss since the row above", "rss", "heapUsed", "old_space", "code_space", "heapTotal", "external"],
    [
      row("start-up (connected)", r.ready),
      row("before the burst (after warm-up)", r.before),
      ...r.bursts.map((burst, i) => row(`after burst ${i + 1}`, burst.after)),
    ],
  );
  const change = (memory: Memory) => {
    const ratio = memory.usage.heapUsed / r.before.usage.heapUsed - 1;
    return `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(1)}% (${ratio >= 0 ? "+" : ""}${mb(memory.usage.heapUsed - r.before.usage.heapUsed)})`;
  };
  printTable(
    ["figure", "value", "target"],
    [
      [`peak RSS (sampled every ${r.ready.rssSampleMs} ms in the bot)`, mb(r.bursts.at(-1)?.after.peakRss ?? 0), `<= ${RSS_TARGET_MB} MB`],
      ["peak RSS (VmHWM from /proc/<pid>/status)", r.hwm === undefined ? "n/a" : mb(r.hwm), `<= ${RSS_TARGET_MB} MB`],
      ...r.bursts.map((burst, i) => [`heapUsed after burst ${i + 1} vs before`, change(burst.after), `within ${HEAP_TARGET * 100}%`]),
    ],
  );
  const last = r.bursts.at(-1)?.after;
  if (last) {
    const peak = last.atPeak;
    console.log(
      `at the peak (no GC): rss ${mb(peak.rss)} = heapTotal ${mb(peak.heapTotal)} (heapUsed ${mb(peak.heapUsed)}) + external ${mb(peak.external)} (arrayBuffers ${mb(peak.arrayBuffers)}) + ${mb(peak.rss - peak.heapTotal - peak.external)} of code, stacks, native and loader memory`,
    );
    const deltas = Object.entries(last.spaces)
      .map(([space, used]) => [space, used - (r.before.spaces[space] ?? 0)] as const)
      .filter(([, delta]) => Math.abs(delta) >= 10_000)
      .map(([space, delta]) => `${space} ${delta >= 0 ? "+" : ""}${(delta / 1024).toFixed(0)} KB`);
    console.log(`heap growth by V8 space, after burst ${r.bursts.length} vs before: ${deltas.join(", ") || "none over 10 KB"} (code_space is compiled code, not data)`);
  }

  const logLines = readFileSync(r.logFile, "utf8").split("\n").filter(Boolean);
  const levels = countBy(logLines.map((line) => levelName((JSON.parse(line) as { level?: number }).level)));
  console.log(`\nbot log: ${logLines.length} lines (${[...levels].map(([level, count]) => `${level} ${count}`).join(", ")})`);
  for (const [i, burst] of r.bursts.entries()) if (!burst.allFinal) console.log(`burst ${i + 1}: NOT every mention got its final card within ${DEADLINE_MS / 1000} s`);
}

// ---- the bot's process -------------------------------------------------------------------

/**
 * The bot as `npm start` runs it: one esbuild bundle on plain node, packages external (the
 * build:bot script's flags). LOAD_BOT_TSX=1 runs it under tsx instead, which shows what of the
 * RSS is tsx's loader (about 30 MB).
 */
async function botEntry(dir: string): Promise<{ script: string; execArgv: string[]; how: string }> {
  const source = join(ROOT, "bench", "load-bot.ts");
  if (!BUNDLE) return { script: source, execArgv: ["--expose-gc", "--import", "tsx"], how: "node --expose-gc --import tsx (LOAD_BOT_TSX=1), not as npm start runs it" };
  const outfile = join(dir, "bundle", "load-bot.mjs");
  await build({ entryPoints: [source], bundle: true, platform: "node", target: "node22", format: "esm", packages: "external", outfile, logLevel: "warning" });
  // The chart process beside it, as build:bot bundles it: ECharts inside, resvg (native) not.
  const charts = join(ROOT, "src", "insights", "chart-process-main.ts");
  await build({ entryPoints: [charts], bundle: true, platform: "node", target: "node22", format: "esm", external: ["@resvg/resvg-js"], outfile: join(dir, "bundle", "chart-process.mjs"), logLevel: "warning" });
  // The bundle's bare imports resolve from its folder upwards.
  await symlink(join(ROOT, "node_modules"), join(dir, "bundle", "node_modules"), "dir");
  return { script: outfile, execArgv: ["--expose-gc", "--max-semi-space-size=2", "--optimize-for-size"], how: "an esbuild bundle on node --expose-gc --max-semi-space-size=2 --optimize-for-size, as npm start runs it" };
}

function startBot(entry: { script: string; execArgv: string[] }, settings: Record<string, string>, logFd: number) {
  // Our own settings only: a developer's COUNCIL_* or SLACK_* must not leak into the run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(WORKER_|COUNCIL_|CHAIRMAN_|DISCORD_|SLACK_|LOG_LEVEL)/.test(key)));
  const child: ChildProcess = fork(entry.script, [], {
    cwd: ROOT,
    execArgv: entry.execArgv,
    env: { ...env, ...settings },
    stdio: ["ignore", logFd, logFd, "ipc"],
  });
  let exited: string | undefined;
  child.on("exit", (code, signal) => (exited = `the bot exited (${signal ?? code}); see its log`));

  function next(type: ChildMessage["type"], timeoutMs: number): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        done();
        resolve(message);
      };
      const onExit = () => {
        done();
        reject(new Error(exited ?? "the bot exited"));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the bot did not answer "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      if (exited) return onExit();
      child.on("message", onMessage);
      child.on("exit", onExit);
    });
  }
  const ask = (message: ParentMessage, timeoutMs = 10_000) => {
    const answer = next(message.type === "stop" ? "stopped" : message.type, timeoutMs);
    child.send(message);
    return answer;
  };
  return {
    process: child,
    next,
    memory: (label: string) => ask({ type: "memory", label }, 60_000) as Promise<Memory>,
    status: () => ask({ type: "status" }) as Promise<Extract<ChildMessage, { type: "status" }>>,
    async stop() {
      await ask({ type: "stop" }, 20_000);
      if (!exited) await new Promise((resolve) => child.once("exit", resolve));
    },
    kill: () => {
      if (!exited && child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

type Bot = ReturnType<typeof startBot>;

async function waitIdle(bot: Bot, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await bot.status();
    if (status.inFlight === 0 && status.waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`the bot still has ${status.inFlight} running and ${status.waiting} waiting`);
    await sleep(100);
  }
}

/** Lets the last card updates and timers of finished councils run out before memory is read. */
const settle = () => sleep(1_500);

function vmHwm(pid: number | undefined): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

// ---- what the fakes and the store recorded ----------------------------------------------

/** What the figures need of a council record (src/store/council-record.ts), read from the bot's database once it has stopped. */
interface RecordTimes {
  asker: string;
  threadKey?: string;
  status: RecordStatus;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

function readRecords(file: string): RecordTimes[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT asker, thread_key, status, created_at, started_at, finished_at FROM councils").all() as Array<{
      asker: string;
      thread_key: string | null;
      status: RecordStatus;
      created_at: number;
      started_at: number | null;
      finished_at: number | null;
    }>;
    return rows.map((row) => ({
      asker: row.asker,
      ...(row.thread_key !== null && { threadKey: row.thread_key }),
      status: row.status,
      createdAt: row.created_at,
      ...(row.started_at !== null && { startedAt: row.started_at }),
      ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    }));
  } finally {
    db.close();
  }
}

/**
 * The cards as the fake Slack recorded them, indexed as calls are answered (the record grows
 * to thousands of calls; rescanning it all every 100 ms would take CPU from the bot). A card is
 * a bot reply in the mention's thread that starts with the card's title (the details do not);
 * its final update is the first chat.update that shows an outcome.
 */
function trackCards(slack: FakeSlack) {
  const cards = new Map<string, RecordedCall[]>();
  const finals = new Map<string, RecordedCall>();
  const seen = new Set<number>();
  let from = 0;
  const threadOf = (mention: EventCallback) => {
    const event = mention.event as { channel: string; ts: string };
    return `${event.channel}:${event.ts}`;
  };
  function scan(): void {
    const calls = slack.calls;
    let firstOpen = -1;
    for (let i = from; i < calls.length; i += 1) {
      const call = calls[i];
      if (!call || seen.has(call.id)) continue;
      if (call.status === undefined) {
        if (firstOpen === -1) firstOpen = i;
        continue;
      }
      seen.add(call.id);
      if (call.ok !== true) continue;
      if (call.method === "chat.postMessage") {
        const first = (call.args.blocks as Array<{ text?: { text?: string } }> | undefined)?.[0];
        if (first?.text?.text?.startsWith("*🏛️") !== true) continue;
        const key = `${String(call.args.channel)}:${String(call.args.thread_ts)}`;
        cards.set(key, [...(cards.get(key) ?? []), call]);
      } else if (call.method === "chat.update" && FINAL.test(String(call.args.text ?? ""))) {
        const ts = String(call.args.ts);
        if (!finals.has(ts)) finals.set(ts, call);
      }
    }
    from = firstOpen === -1 ? calls.length : firstOpen;
  }
  return {
    scan,
    cardsOf: (mention: EventCallback) => cards.get(threadOf(mention)) ?? [],
    finalOf(mention: EventCallback): RecordedCall | undefined {
      const ts = (cards.get(threadOf(mention))?.[0]?.response as { ts?: string } | undefined)?.ts;
      return ts === undefined ? undefined : finals.get(ts);
    },
  };
}

type CardTracker = ReturnType<typeof trackCards>;

// ---- figures ------------------------------------------------------------------------------

/** Jain's fairness index: 1 when every user waits alike, 1/n when one user does all the waiting. */
function jain(values: readonly number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

/** What the per-user figures would be if the councils ran in this order (`position(user, k)`), each taking `holdMs`. */
function referenceRow(name: string, position: (user: number, k: number) => number, holdMs: number): string[] {
  const perUser = Array.from({ length: USERS }, (_, u) => mean(Array.from({ length: PER_USER }, (_, k) => Math.floor(position(u, k) / SLOTS) * holdMs)));
  return [name, s(Math.min(...perUser)), s(percentile(perUser, 50)), s(Math.max(...perUser)), s(Math.max(...perUser) - Math.min(...perUser)), jain(perUser).toFixed(3)];
}

const mean = (values: readonly number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const levelName = (level: number | undefined) => ({ 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" })[level ?? 0] ?? String(level);

function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function groupBy<T, K>(values: readonly T[], key: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) groups.set(key(value), [...(groups.get(key(value)) ?? []), value]);
  return groups;
}

const succeeds = (promise: Promise<unknown>) =>
  promise.then(
    () => true,
    () => false,
  );

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

await main();
