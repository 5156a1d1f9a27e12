import type { Database } from "better-sqlite3";
import type { RecordStatus } from "./council-record.js";
import { createSummaryReader, HOUR_MS, type SummarySink } from "./summary-codec.js";

// What the statistics read from the store for a period and, optionally, one preset: the
// councils counted by status and platform (from an index, not the rows), and the councils'
// summaries, read from their hours' blobs (summary-codec.ts). Never a question, an answer or a
// critique.

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
  /** Tells the sink every summarised council of the period, one after another. */
  readSummaries(filter: StatisticsFilter, sink: SummarySink): void;
  /** The presets councils were recorded under, in any period. */
  recordedPresets(): string[];
}

// One statement each: `@since` and `@preset` are null when not filtered on.
const PRESET = "(@preset IS NULL OR preset = @preset)";

export function createStatisticsSource(db: Database): StatisticsSource {
  const counts = db.prepare(`SELECT status, platform, count(*) AS councils FROM councils WHERE (@since IS NULL OR created_at >= @since) AND ${PRESET} GROUP BY status, platform`);
  const hours = db.prepare(`SELECT hour, facts FROM summary_hours WHERE (@hour IS NULL OR hour >= @hour) AND ${PRESET}`).raw();
  const lists = db.prepare("SELECT id, models FROM model_lists").raw();
  const presets = db.prepare("SELECT DISTINCT preset FROM councils ORDER BY preset").pluck();
  const read = createSummaryReader();
  return {
    statusCounts: (filter) => counts.all({ since: filter.since ?? null, preset: filter.preset ?? null }) as StatusCount[],
    readSummaries(filter, sink) {
      const modelLists = new Map((lists.all() as Array<[number, string]>).map(([id, text]) => [id, JSON.parse(text) as string[]]));
      const firstHour = filter.since === undefined ? null : Math.floor(filter.since / HOUR_MS);
      for (const [hour, facts] of hours.iterate({ hour: firstHour, preset: filter.preset ?? null }) as IterableIterator<[number, Buffer]>) {
        // Only the period's first hour holds councils from before it.
        const fromMsInHour = firstHour !== null && hour === firstHour && filter.since !== undefined ? filter.since - hour * HOUR_MS : 0;
        read(facts, { modelLists, fromMsInHour }, sink);
      }
    },
    recordedPresets: () => presets.all() as string[],
  };
}
