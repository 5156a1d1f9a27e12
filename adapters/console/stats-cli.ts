import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { ConfigError } from "../../config/index.js";
import type { PresetCatalog } from "../../config/presets.js";
import { createInsightsService, DEFAULT_PERIOD } from "../../src/insights/insights-service.js";
import { PERIODS } from "../../src/insights/period.js";
import type { Statistics } from "../../src/insights/statistics.js";
import { renderStatisticsDashboard } from "../../src/insights/statistics-charts.js";
import { leaderboardTable, noCouncilsText, statisticsTitle, totalsLine } from "../../src/insights/statistics-text.js";
import { openDatabase, StoreOpenError } from "../../src/store/open-database.js";

// `npm run stats -- [--since 7d] [--preset NAME] [--json] [--chart FILE.png]`: the recorded
// councils' statistics in the terminal, as /council-stats shows them in chat: a table, or every
// figure as JSON for a script, and the dashboard written as a PNG. Exit 0 when shown (a period
// with no councils included), 2 on bad input or a database that cannot be read.

export const STATS_USAGE = `Usage: npm run stats -- [--since ${PERIODS.join("|")}] [--preset NAME] [--json] [--chart FILE.png]`;

export const STATS_EXIT = { shown: 0, badInput: 2 } as const;

export interface StatsIo {
  write(text: string): void;
  error(text: string): void;
  /** The settings it needs, read only once the arguments are valid. May throw ConfigError. */
  settings(): { database: string; presets: Pick<PresetCatalog, "names" | "referencePrice"> };
  now?: () => number;
}

class StatsInputError extends Error {
  override readonly name = "StatsInputError";
  readonly kind = "stats-input";
}

export async function runStats(argv: readonly string[], io: StatsIo): Promise<number> {
  let options: { since: string; preset?: string; json: boolean; chart?: string; help: boolean };
  try {
    options = parse(argv);
  } catch (error) {
    io.error(`${(error as Error).message}\n${STATS_USAGE}`);
    return STATS_EXIT.badInput;
  }
  if (options.help) {
    io.write(`${STATS_USAGE}\n\n--since    the period: ${PERIODS.join(", ")} (default ${DEFAULT_PERIOD})\n--preset   one preset's councils only\n--json     every figure as one JSON object on stdout\n--chart    also write the dashboard image to this PNG file\n`);
    return STATS_EXIT.shown;
  }
  let statistics: Statistics;
  try {
    const { database, presets } = io.settings();
    // A missing file is most often a COUNCIL_DB that points elsewhere than the bot's: say so rather than create an empty one.
    if (database !== ":memory:" && !existsSync(database)) {
      throw new StatsInputError(`There is no council database at ${database} yet: no council was recorded there. Set COUNCIL_DB to the file the bot records in.`);
    }
    const db = openDatabase(database);
    try {
      // The same checks and figures as /council-stats; its refusals already say what to type or fix.
      const insights = createInsightsService({ db, presets, database, logger: pino({ enabled: false }), ...(io.now && { now: io.now }) });
      const read = insights.read({ period: options.since, ...(options.preset !== undefined && { preset: options.preset }) });
      if (read.kind === "refused") throw new StatsInputError(read.message);
      statistics = read.statistics;
    } finally {
      db.close();
    }
  } catch (error) {
    if (error instanceof StatsInputError || error instanceof StoreOpenError || error instanceof ConfigError) {
      io.error(error.message);
      return STATS_EXIT.badInput;
    }
    throw error;
  }

  if (options.json) io.write(`${JSON.stringify(statistics, null, 2)}\n`);
  else io.write(`${statisticsLines(statistics).join("\n")}\n`);
  if (options.chart !== undefined) {
    if (statistics.councils.total === 0) {
      io.error(`No chart written to ${options.chart}: ${noCouncilsText(statistics)}`);
      return STATS_EXIT.shown;
    }
    try {
      await writeFile(options.chart, await renderStatisticsDashboard(statistics));
    } catch (error) {
      io.error(`The chart could not be written to ${options.chart}: ${(error as Error).message}`);
      return STATS_EXIT.badInput;
    }
    io.error(`Chart written to ${options.chart}.`);
  }
  return STATS_EXIT.shown;
}

function parse(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { since: { type: "string", default: DEFAULT_PERIOD }, preset: { type: "string" }, json: { type: "boolean", default: false }, chart: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (error) {
    throw new StatsInputError(`${(error as Error).message.replace(/\.?$/, ".")}`);
  }
  const { since, preset, json, chart, help } = parsed.values;
  if (chart !== undefined && !chart.trim().toLowerCase().endsWith(".png")) throw new StatsInputError(`--chart ${JSON.stringify(chart)}: give a file name ending in .png, e.g. --chart council-stats.png.`);
  return { since, ...(preset?.trim() && { preset: preset.trim() }), json, ...(chart !== undefined && { chart }), help };
}

/** The terminal's table: the title, the leaderboard, the stages, then failures, consensus, platforms and totals. */
export function statisticsLines(statistics: Statistics): string[] {
  const lines = [statisticsTitle(statistics)];
  if (statistics.councils.total === 0) return [...lines, noCouncilsText(statistics)];
  lines.push("", "Models, best rated first (peer rating from the ballots, 95% interval; pairs: comparisons behind it):", ...leaderboardTable(statistics));
  lines.push("", "Stages:", ...stageTable(statistics));
  const failures = statistics.models.flatMap((model) => {
    const entries = Object.entries(model.failures);
    return entries.length === 0 ? [] : [`${model.model} ${entries.map(([kind, count]) => `${kind} ${count}`).join(", ")}`];
  });
  lines.push("", `Failures: ${failures.length === 0 ? "none" : failures.join("; ")}`);
  const { consensus } = statistics;
  if (consensus.mean !== null) lines.push(`Consensus: ${consensus.mean.toFixed(2)} on average over ${consensus.councils} reviewed council${consensus.councils === 1 ? "" : "s"}`);
  lines.push(`Platforms: ${Object.entries(statistics.councils.byPlatform).map(([platform, count]) => `${platform} ${count}`).join(", ")}`);
  lines.push(totalsLine(statistics));
  return lines;
}

function stageTable(statistics: Statistics): string[] {
  const header = ["stage", "councils", "median", "p90", "prompt tokens", "completion tokens"];
  const rows = statistics.stages.map((stage) => [
    stage.stage,
    String(stage.councils),
    `${(stage.medianMs / 1000).toFixed(1)} s`,
    `${(stage.p90Ms / 1000).toFixed(1)} s`,
    String(stage.promptTokens),
    String(stage.completionTokens),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  return [header, ...rows].map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  "));
}
