import type { Database } from "better-sqlite3";
import type { RecordStatus } from "./council-record.js";
import type { CouncilSummary } from "./council-summary.js";

// What the statistics read from the store for a period and, optionally, one preset: the
// councils counted by status and platform (from an index, not the rows), and the councils'
// summaries (council-summary.ts). Never a question, an answer or a critique.

export interface StatisticsFilter {
  /** Councils created at or after this (ms since the epoch); all when absent. */
  since?: number;
  preset?: string;
}

export interface StatusCount {
  status: RecordStatus;
  platform: string;
  councils: number;
}

export interface StatisticsSource {
  statusCounts(filter: StatisticsFilter): StatusCount[];
  summaries(filter: StatisticsFilter): Iterable<CouncilSummary>;
  /** The presets councils were recorded under, in any period. */
  recordedPresets(): string[];
}

// One statement each: `@since` and `@preset` are null when not filtered on.
const WHERE = "(@since IS NULL OR created_at >= @since) AND (@preset IS NULL OR preset = @preset)";

export function createStatisticsSource(db: Database): StatisticsSource {
  const counts = db.prepare(`SELECT status, platform, count(*) AS councils FROM councils WHERE ${WHERE} GROUP BY status, platform`);
  const summaries = db.prepare(`SELECT summary FROM council_summaries WHERE ${WHERE}`).pluck();
  const presets = db.prepare("SELECT DISTINCT preset FROM councils ORDER BY preset").pluck();
  const bind = (filter: StatisticsFilter) => ({ since: filter.since ?? null, preset: filter.preset ?? null });
  return {
    statusCounts: (filter) => counts.all(bind(filter)) as StatusCount[],
    *summaries(filter) {
      for (const text of summaries.iterate(bind(filter)) as IterableIterator<string>) yield JSON.parse(text) as CouncilSummary;
    },
    recordedPresets: () => presets.all() as string[],
  };
}
