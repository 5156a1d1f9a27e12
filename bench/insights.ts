import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RecordedCouncil, writeCouncil } from "../test-support/recorded-councils.js";
import {
  renderCouncilTimeline,
  renderLatencyPerModel,
  renderLeaderboard,
  renderModelRadar,
  renderStageTimes,
  renderTokensPerModel,
} from "../src/insights/charts/index.js";
import { createChartProcess } from "../src/insights/chart-process.js";
import { computeStatistics, type Statistics } from "../src/insights/statistics.js";
import { dashboardInput, renderStatisticsDashboard } from "../src/insights/statistics-charts.js";
import { createSeededRandom } from "../src/insights/seeded-random.js";
import { createCouncilStore } from "../src/store/council-store.js";
import { openDatabase } from "../src/store/open-database.js";
import { createStatisticsSource } from "../src/store/statistics-source.js";
import { formatMs, printTable } from "./stats.js";

// `npm run bench:stats`: the statistics and every chart over a store of 100,000 councils of 5
// members (a busy team's years), as `/council-stats all` computes them. Targets: statistics
// ≤ 1 s, each chart ≤ 300 ms, the bot's RSS growing ≤ 50 MB while doing it. The store is
// written first (not timed), with ballots drawn from known strengths so the ratings have
// something to find. This process does what the bot does (it runs with the bot's node flags,
// computes the statistics itself and has the bundled chart process draw the dashboard and a
// timeline), then draws each chart itself for its time.

const COUNCILS = Number(process.env.BENCH_COUNCILS ?? 100_000);
const RUNS = 5;
const DAY = 24 * 3_600_000;
const NOW = Date.UTC(2026, 11, 1);
const MODELS = ["llama3.2:3b", "qwen2.5:3b", "gemma2:2b", "phi3.5:3.8b", "mistral:7b"];
const STRENGTH = [1, 1.6, 0.7, 1.2, 2.2];

function fill(path: string): void {
  const db = openDatabase(path);
  let clock = 0;
  const store = createCouncilStore(db, () => clock);
  const random = createSeededRandom(7);
  const write = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) writeCouncil(store, (at) => (clock = at), council(n, random));
  });
  for (let from = 0; from < COUNCILS; from += 5_000) write(from, Math.min(COUNCILS, from + 5_000));
  db.close();
}

function council(n: number, random: () => number): RecordedCouncil {
  const members = MODELS.map((model, i) => ({
    name: `M${i}`,
    model,
    answer:
      random() < 0.02
        ? { failure: "timeout" }
        : { wallMs: 2000 + random() * 8000, firstTokenMs: 100 + random() * 900, promptTokens: 80, completionTokens: 100 + Math.round(random() * 400), evalMs: 3000 },
  }));
  const answered = members.filter((member) => !("failure" in member.answer)).map((member) => member.name);
  const strength = (name: string) => STRENGTH[Number(name.slice(1))] ?? 1;
  return {
    id: `c${n}`,
    at: NOW - Math.floor((n / COUNCILS) * 365 * DAY),
    platform: n % 3 === 0 ? "slack" : "discord",
    members,
    ballots: answered.map((reviewer) => ({ reviewer, ranking: placeByStrength(answered.filter((name) => name !== reviewer), strength, random) })),
    ranking: { order: placeByStrength(answered, strength, random).map(([name]) => name), consensus: random() },
    byStage: { answers: 9000 + random() * 2000, review: 6000 + random() * 2000, synthesis: 12_000 + random() * 4000 },
    chairman: { model: "llama3.1:8b", wallMs: 12_000, promptTokens: 1800, completionTokens: 600, evalMs: 10_000 },
  };
}

/** Plackett–Luce: the next place goes to a remaining name with probability proportional to its strength. */
function placeByStrength(names: string[], strength: (name: string) => number, random: () => number): Array<[string, number]> {
  const left = [...names];
  const placed: Array<[string, number]> = [];
  while (left.length > 0) {
    let pick = random() * left.reduce((sum, name) => sum + strength(name), 0);
    const index = left.findIndex((name) => (pick -= strength(name)) <= 0);
    const [name] = left.splice(index === -1 ? left.length - 1 : index, 1);
    placed.push([name as string, 9 - placed.length]);
  }
  return placed;
}

async function main(): Promise<void> {
  const [command, given] = process.argv.slice(2);
  // The store is written by a child process, so this one measures what a bot would: a process
  // that did not just write 100,000 councils.
  if (command === "--fill" && given) return fill(given);
  const dir = mkdtempSync(join(tmpdir(), "council-bench-stats-"));
  try {
    const path = join(dir, "council.db");
    const filling = performance.now();
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--fill", path], { stdio: "inherit" });
    console.log(`${COUNCILS} councils of ${MODELS.length} members written in ${((performance.now() - filling) / 1000).toFixed(1)} s by another process (not timed)\n`);
    const db = openDatabase(path);
    const source = createStatisticsSource(db);
    const statistics = (): Statistics => computeStatistics(source, { period: "all", now: NOW });
    const charts: Array<[string, (figures: Statistics) => Promise<Buffer>]> = [
      ["chart: leaderboard", (figures) => renderLeaderboard(dashboardInput(figures).leaderboard)],
      ["chart: tokens per model", (figures) => renderTokensPerModel(dashboardInput(figures).tokens)],
      ["chart: latency per model", (figures) => renderLatencyPerModel(dashboardInput(figures).latency)],
      ["chart: time per stage", (figures) => renderStageTimes(dashboardInput(figures).stages)],
      ["chart: radar per model", (figures) => renderModelRadar(dashboardInput(figures).profiles)],
      ["chart: dashboard (all five)", (figures) => renderStatisticsDashboard(figures)],
      ["chart: a council's timeline", () => renderCouncilTimeline(TIMELINE)],
    ];

    // Once through, as the bot answering /council-stats and ending a council does: its memory.
    const rss = () => process.memoryUsage().rss / 1024 / 1024;
    const script = fileURLToPath(new URL("../dist/chart-process.mjs", import.meta.url));
    const chartProcess = createChartProcess({ script });
    const rssBefore = rss();
    // As /council-stats does: the chart process starts while the statistics are computed.
    chartProcess.warm();
    const once = statistics();
    const rssAfterStatistics = rss();
    const started = performance.now();
    await chartProcess.draw({ kind: "dashboard", statistics: once });
    const coldMs = performance.now() - started;
    await chartProcess.draw({ kind: "timeline", calls: VIEW_TIMELINE });
    const rssAfterCharts = rss();
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const again = performance.now();
      await chartProcess.draw({ kind: "dashboard", statistics: once });
      warm.push(performance.now() - again);
    }
    const [childPid] = chartProcess.pids();
    const childPeak = childPid === undefined ? Number.NaN : peakRssMb(childPid);
    const rssAfterChartProcess = rss();
    chartProcess.close();
    // A chart with nothing to overlap the process's start with (a council's timeline after a quiet spell).
    const cold = createChartProcess({ script });
    const coldStart = performance.now();
    await cold.draw({ kind: "dashboard", statistics: once });
    const coldStartMs = performance.now() - coldStart;
    cold.close();

    // Then each again, for its time.
    const rows: string[][] = [["statistics, all time", ...(await timed(async () => statistics())), "≤ 1000 ms"]];
    for (const [name, render] of charts) rows.push([name, ...(await timed(() => render(once))), "≤ 300 ms"]);
    const rssAfterAll = rss();
    db.close();
    rows.push(["chart process: the dashboard", formatMs(coldMs), formatMs(Math.min(...warm)), "(first: started during the statistics)"]);
    rows.push(["chart process: from cold", formatMs(coldStartMs), "", "(the process starts for it)"]);
    printTable(["figure", "first run", `best of ${RUNS}`, "target"], rows);
    console.log(
      `\nThe bot's RSS growth, statistics and the dashboard and a timeline drawn by the chart process: ${(rssAfterCharts - rssBefore).toFixed(1)} MB (target ≤ 50 MB); the statistics ${(rssAfterStatistics - rssBefore).toFixed(1)} MB, the charts ${(rssAfterCharts - rssAfterStatistics).toFixed(1)} MB; after ${RUNS} more dashboards ${(rssAfterChartProcess - rssBefore).toFixed(1)} MB`,
    );
    console.log(`The chart process's peak RSS: ${childPeak.toFixed(0)} MB, all of it returned when it ends (${RUNS + 2} charts drawn)`);
    console.log(`This process's RSS growth once it also drew every chart ${RUNS + 1} times itself, for the times above: ${(rssAfterAll - rssBefore).toFixed(1)} MB (what the bot would keep without the chart process)`);
    console.log(`\nratings (true strengths as Elo around 1000: ${STRENGTH.map((s, i) => `${MODELS[i]} ${(1000 + 400 * Math.log10(s / geometricMean(STRENGTH))).toFixed(0)}`).join(", ")})`);
    for (const model of once.models) {
      const { rating, interval, comparisons } = model.rating;
      console.log(`  ${model.model.padEnd(14)} ${rating === null ? "    –" : rating.toFixed(0).padStart(5)}  [${interval?.map((v) => v.toFixed(0)).join(", ") ?? "–"}]  ${comparisons} comparisons`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first run (cold: modules, caches, the JIT) and the best of RUNS, formatted. */
async function timed(run: () => Promise<unknown>): Promise<[string, string]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return [formatMs(times[0] ?? Number.NaN), formatMs(Math.min(...times))];
}

/** VmHWM: the most memory the process has had resident. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

/** The same calls as a council's view holds them, for the chart process. */
const VIEW_TIMELINE = [
  ...MODELS.map((model, i) => ({ member: `M${i}`, model, stage: "answers" as const, startMs: 0, firstTokenMs: 300 + i * 100, wallMs: 4000 + i * 900 })),
  { model: "llama3.1:8b", stage: "synthesis" as const, startMs: 14_100, firstTokenMs: 2500, wallMs: 11_900 },
];

/** A council of five members with a debate-free review and a chairman: 11 calls. */
const TIMELINE = [
  ...MODELS.map((model, i) => ({ label: `M${i}`, model, stage: "answers", startMs: 0, firstTokenMs: 300 + i * 100, endMs: 4000 + i * 900 })),
  ...MODELS.map((model, i) => ({ label: `M${i}`, model, stage: "review", startMs: 8000, endMs: 12_000 + i * 500 })),
  { label: "chairman", model: "llama3.1:8b", stage: "synthesis", startMs: 14_100, firstTokenMs: 2500, endMs: 26_000 },
];

function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}

await main();
