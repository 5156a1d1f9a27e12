import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import type { PresetCatalog } from "../../config/presets.js";
import { createStatisticsSource } from "../store/statistics-source.js";
import { parsePeriod, type Period, UnknownPeriodError } from "./period.js";
import { checkPreset, computeStatistics, type Statistics, UnknownPresetError } from "./statistics.js";
import { botCharts, type ChartProcess } from "./chart-process.js";
import { createReplyCache } from "./reply-cache.js";
import { leaderboardTable, noCouncilsText, statisticsTitle, totalsLine } from "./statistics-text.js";

// What /council-stats answers, on whichever chat platform asked: the request's raw words
// checked (a bad period or preset is refused with the choices), the statistics computed from
// the store, and the dashboard drawn. The platforms only lay the result out and attach the
// image. Nothing here reads a question, an answer or a critique, so anyone may see the result.

export const DEFAULT_PERIOD: Period = "7d";

/** How long a reply is served again while nothing new is recorded: the periods' edges move little in it. */
const REPLY_KEPT_MS = 60_000;

export interface InsightsRequest {
  /** As the user typed it ("30d"); absent or empty for the default, 7d. */
  period?: string;
  /** A preset's name; absent or empty for every preset. */
  preset?: string;
}

export interface InsightsRefusal {
  kind: "refused";
  /** Says what was wrong and what to type instead; never a stack. */
  message: string;
}

export interface InsightsChart {
  png: Buffer;
  /** "council-stats-7d.png". */
  fileName: string;
  /** For screen readers (Discord's attachment description, Slack's alt text). */
  description: string;
}

export type InsightsReply =
  | { kind: "empty"; title: string; message: string }
  | {
      kind: "report";
      title: string;
      /** Aligned columns, for a monospaced block. */
      leaderboard: string[];
      totals: string;
      /** Absent when the chart could not be drawn (then `note` says so). */
      chart?: InsightsChart;
      note?: string;
    };

export type InsightsAnswer = InsightsRefusal | InsightsReply;

/** A request whose words were checked: computing and drawing it is left to `reply()`, after the platform has acknowledged. */
export type PreparedInsights = InsightsRefusal | { kind: "accepted"; period: Period; preset?: string; reply(): Promise<InsightsAnswer> };

export interface InsightsServiceDeps {
  /** The bot's connection to COUNCIL_DB (open-council-service.ts). */
  db: Database;
  presets: Pick<PresetCatalog, "names" | "referencePrice">;
  /** The COUNCIL_DB path, named when the database cannot be read. */
  database: string;
  logger: Logger;
  /** Draws the dashboard; the bot's chart process unless a test passes its own. */
  charts?: Pick<ChartProcess, "draw" | "warm">;
  now?: () => number;
}

export interface InsightsService {
  /**
   * Checks the words at once (the preset against the presets file and the record, which is
   * quick), so a platform can refuse privately before it decides where the answer goes.
   */
  prepare(request: InsightsRequest): PreparedInsights;
  /** prepare() and reply() in one. */
  answer(request: InsightsRequest): Promise<InsightsAnswer>;
  /** The checked request's figures themselves, for the terminal's table and JSON. */
  read(request: InsightsRequest): InsightsRefusal | { kind: "read"; statistics: Statistics };
}

export function createInsightsService(deps: InsightsServiceDeps): InsightsService {
  const now = deps.now ?? Date.now;
  const charts = deps.charts ?? botCharts;
  const logger = deps.logger.child({ module: "insights" });
  const source = createStatisticsSource(deps.db);
  // What changed the record since: this connection's writes (the bot's councils) and other
  // processes' (a terminal council recorded in the same file).
  const changes = deps.db.prepare("SELECT total_changes() AS ours");
  const dataVersion = () => deps.db.pragma("data_version", { simple: true }) as number;
  const replies = createReplyCache<InsightsAnswer>({
    ttlMs: REPLY_KEPT_MS,
    capacity: 8,
    now,
    keep: (answer) => answer.kind === "empty" || (answer.kind === "report" && answer.chart !== undefined),
  });

  function unreadable(error: unknown): InsightsRefusal {
    logger.error({ err: error }, "the statistics could not be read from the council database");
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: "refused",
      message: `The statistics could not be read from the council database (COUNCIL_DB=${deps.database}): ${reason}. Check that the file is readable and undamaged; \`npm run doctor\` checks it.`,
    };
  }

  function prepare(request: InsightsRequest): PreparedInsights {
    const periodText = request.period?.trim() || DEFAULT_PERIOD;
    const preset = request.preset?.trim() || undefined;
    let period: Period;
    try {
      period = parsePeriod(periodText);
      if (preset !== undefined) checkPreset(preset, deps.presets.names, source);
    } catch (error) {
      if (error instanceof UnknownPeriodError || error instanceof UnknownPresetError) return { kind: "refused", message: error.message };
      return unreadable(error);
    }
    return { kind: "accepted", period, ...(preset !== undefined && { preset }), reply: () => keptReply(period, preset) };
  }

  function compute(period: Period, preset: string | undefined): InsightsRefusal | { kind: "read"; statistics: Statistics } {
    try {
      const statistics = computeStatistics(source, {
        period,
        now: now(),
        ...(preset !== undefined && { preset }),
        ...(deps.presets.referencePrice && { referencePrice: deps.presets.referencePrice }),
      });
      return { kind: "read", statistics };
    } catch (error) {
      return unreadable(error);
    }
  }

  function keptReply(period: Period, preset: string | undefined): Promise<InsightsAnswer> {
    let version: string;
    try {
      version = `${(changes.get() as { ours: number }).ours}.${dataVersion()}`;
    } catch (error) {
      return Promise.resolve(unreadable(error));
    }
    return replies.get(`${period}\u0000${preset ?? ""}\u0000${version}`, () => reply(period, preset));
  }

  async function reply(period: Period, preset: string | undefined): Promise<InsightsAnswer> {
    // The chart process starts while the statistics are computed, on the other core.
    charts.warm();
    const read = compute(period, preset);
    if (read.kind === "refused") return read;
    const { statistics } = read;
    const title = statisticsTitle(statistics);
    if (statistics.councils.total === 0) return { kind: "empty", title, message: noCouncilsText(statistics) };
    const text = { kind: "report" as const, title, leaderboard: leaderboardTable(statistics), totals: totalsLine(statistics) };
    try {
      const png = await charts.draw({ kind: "dashboard", statistics });
      return { ...text, chart: { png, fileName: chartFileName(period, preset), description: `Charts of ${title}: model ratings, tokens, latency, stage times and a profile of each model.` } };
    } catch (error) {
      // The figures are still worth showing without their picture.
      logger.error({ err: error }, "the statistics chart could not be drawn");
      return { ...text, note: "The chart could not be drawn (the bot's log says why)." };
    }
  }

  return {
    prepare,
    async answer(request) {
      const prepared = prepare(request);
      return prepared.kind === "refused" ? prepared : prepared.reply();
    },
    read(request) {
      const prepared = prepare(request);
      return prepared.kind === "refused" ? prepared : compute(prepared.period, prepared.preset);
    },
  };
}

function chartFileName(period: Period, preset: string | undefined): string {
  const scope = preset === undefined ? "" : `-${preset.replace(/[^\w.-]+/g, "-")}`;
  return `council-stats-${period}${scope}.png`;
}
