import { join } from "node:path";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { createSlackBot } from "../adapters/slack/slack-bot.js";
import { loadBotConfig } from "../config/index.js";
import { createLogger } from "../config/logger.js";
import { createCore } from "../src/core.js";
import { createHealthReporter } from "../src/health.js";
import { createInsightsService } from "../src/insights/insights-service.js";
import { openCouncilService } from "../src/open-council-service.js";
import { createRecentErrors } from "../src/recent-errors.js";

// The bot of `npm run bench:load`, in a process of its own so that its memory is the bot's
// alone, not the fakes'. Wired as src/main.ts wires the Slack bot (settings from the
// environment, the core, the council service over COUNCIL_DB, the Slack bot), except that the
// chat.update budget comes from LOAD_UPDATES_PER_MINUTE so Slack's 50 a minute does not set
// the pace of the run. Run with --expose-gc. Answers the parent over IPC:
//   { type: "memory", label } -> { type: "memory", usage, spaces, peakRss }  (after forced GCs;
//                                 with LOAD_HEAP_SNAPSHOT_DIR set, a heap snapshot <label>.heapsnapshot there too)
//   { type: "status" }  -> { type: "status", inFlight, waiting }
//   { type: "stop" }    -> { type: "stopped" }, then exits 0
// and sends { type: "ready", usage } once connected to Slack.

export type ParentMessage = { type: "memory"; label: string } | { type: "status" } | { type: "stop" };

/** Used bytes of each V8 heap space (old_space, code_space, ...). */
export type HeapSpaces = Record<string, number>;

export interface MemoryFigures {
  /** After forced GCs. */
  usage: NodeJS.MemoryUsage;
  spaces: HeapSpaces;
  /** The highest RSS sampled since the process started. */
  peakRss: number;
  /** process.memoryUsage() when that peak was sampled (not after a GC). */
  atPeak: NodeJS.MemoryUsage;
  /** The highest RSS sampled since the previous memory figures (or the start). */
  windowPeakRss: number;
}

export type ChildMessage =
  | ({ type: "ready"; rssSampleMs: number } & MemoryFigures)
  | ({ type: "memory" } & MemoryFigures)
  | { type: "status"; inFlight: number; waiting: number }
  | { type: "stopped" };

/** How often the resident set size is sampled for its peak. */
const RSS_SAMPLE_MS = 50;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("bench/load-bot.ts needs --expose-gc");
if (!process.send) throw new Error("bench/load-bot.ts is started by bench/load.ts with an IPC channel");
const send = (message: ChildMessage) => process.send?.(message);

let atPeak = process.memoryUsage();
let peakRss = atPeak.rss;
let windowPeakRss = peakRss;
const sample = (rss = process.memoryUsage.rss()) => {
  if (rss > peakRss) {
    // What the peak is made of: the full reading only when there is a new peak, it costs more.
    atPeak = process.memoryUsage();
    peakRss = Math.max(rss, atPeak.rss);
  }
  windowPeakRss = Math.max(windowPeakRss, rss);
};
const sampler = setInterval(sample, RSS_SAMPLE_MS);

/** Several full collections, with turns of the event loop between them for finalizers and weak refs. */
async function collected(label: string): Promise<MemoryFigures> {
  sample();
  const window = windowPeakRss;
  for (let i = 0; i < 4; i += 1) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  sample(usage.rss);
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
  const snapshots = process.env.LOAD_HEAP_SNAPSHOT_DIR;
  // After the figures: writing a snapshot costs memory of its own.
  if (snapshots) writeHeapSnapshot(join(snapshots, `${label}.heapsnapshot`));
  const figures = { usage, spaces, peakRss, atPeak, windowPeakRss: Math.max(window, usage.rss) };
  windowPeakRss = process.memoryUsage.rss();
  return figures;
}

const config = loadBotConfig(process.env);
if (!config.SLACK_BOT_TOKEN) throw new Error("bench/load-bot.ts needs SLACK_BOT_TOKEN");
const updatesPerMinute = Number(process.env.LOAD_UPDATES_PER_MINUTE ?? "0") || undefined;
const logger = createLogger({
  level: config.LOG_LEVEL,
  secrets: [config.WORKER_TOKEN, config.SLACK_BOT_TOKEN, config.SLACK_APP_TOKEN, config.SLACK_SIGNING_SECRET],
});
const core = createCore(config, logger);
void core.engine.preload(core.presets.get());
const { councils, store, db, close } = openCouncilService(config, core.engine, logger);
await core.probe();
const bot = createSlackBot({
  config: { ...config, SLACK_BOT_TOKEN: config.SLACK_BOT_TOKEN },
  presets: core.presets,
  councils,
  store,
  health: createHealthReporter({ memberUrls: config.WORKER_URLS, chairmanUrl: config.CHAIRMAN_URL, token: config.WORKER_TOKEN }),
  insights: createInsightsService({ db, presets: core.presets, database: config.COUNCIL_DB, logger }),
  errors: createRecentErrors(),
  logger,
  ...(updatesPerMinute && { updatesPerMinute }),
});
councils.recoverInterrupted();
await bot.start();

process.on("message", (message: ParentMessage) => {
  switch (message.type) {
    case "memory":
      void collected(message.label).then((memory) => send({ type: "memory", ...memory }));
      return;
    case "status":
      send({ type: "status", inFlight: councils.inFlight(), waiting: councils.waiting() });
      return;
    case "stop":
      void (async () => {
        clearInterval(sampler);
        await councils.drain(5_000);
        await bot.stop();
        close();
        send({ type: "stopped" });
        process.disconnect?.();
        setTimeout(() => process.exit(0), 100).unref();
      })();
      return;
  }
});
// The parent gone means the run is over, however it ended.
process.on("disconnect", () => process.exit(0));

send({ type: "ready", ...(await collected("start-up")), rssSampleMs: RSS_SAMPLE_MS });
