import type { Database } from "better-sqlite3";
import type { RecordStatus } from "./council-record.js";

// What the statistics read from the store for a period and, optionally, one preset: a few
// small columns of every council and the model calls grouped in SQL. Never a question, an
// answer or a critique: statistics are shown to people who did not ask.

export interface StatisticsFilter {
  /** Councils created at or after this (ms since the epoch); all when absent. */
  since?: number;
  preset?: string;
}

export interface CouncilFacts {
  status: RecordStatus;
  platform: string;
  /** The record's latency JSON ({ totalMs, byStage }), null for a council that never ended. */
  latency: string | null;
  /** The record's peer review JSON (peer-review.ts), null for a council never reviewed. */
  peerReview: string | null;
}

/** The model calls of one model, stage and outcome. */
export interface CallGroup {
  model: string;
  stage: string;
  /** The failure's kind; null for answered calls. */
  failure: string | null;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  evalMs: number;
}

/** The answered answer and debate calls' times of one model, for its medians. */
export interface AnswerTimes {
  wallMs: number[];
  firstTokenMs: number[];
}

export interface StatisticsSource {
  councils(filter: StatisticsFilter): Iterable<CouncilFacts>;
  callGroups(filter: StatisticsFilter): CallGroup[];
  answerTimes(filter: StatisticsFilter): Map<string, AnswerTimes>;
  /** The presets councils were recorded under, in any period. */
  recordedPresets(): string[];
}

// One statement each: `@since` and `@preset` are null when not filtered on.
const COUNCIL_WHERE = "(@since IS NULL OR created_at >= @since) AND (@preset IS NULL OR preset = @preset)";

export function createStatisticsSource(db: Database): StatisticsSource {
  const councils = db.prepare(`SELECT status, platform, latency, peer_review AS peerReview FROM councils WHERE ${COUNCIL_WHERE}`);
  const groups = db.prepare(
    `SELECT model, stage, failure, count(*) AS calls, sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens, sum(eval_ms) AS evalMs
     FROM council_calls WHERE ${COUNCIL_WHERE} GROUP BY model, stage, failure`,
  );
  const times = db
    .prepare(`SELECT model, wall_ms, first_token_ms FROM council_calls WHERE ${COUNCIL_WHERE} AND stage IN ('answers', 'debate') AND failure IS NULL`)
    .raw();
  const presets = db.prepare("SELECT DISTINCT preset FROM councils ORDER BY preset").pluck();
  const bind = (filter: StatisticsFilter) => ({ since: filter.since ?? null, preset: filter.preset ?? null });

  return {
    councils: (filter) => councils.iterate(bind(filter)) as IterableIterator<CouncilFacts>,
    callGroups: (filter) => groups.all(bind(filter)) as CallGroup[],
    answerTimes(filter) {
      const byModel = new Map<string, AnswerTimes>();
      for (const [model, wallMs, firstTokenMs] of times.iterate(bind(filter)) as IterableIterator<[string, number, number | null]>) {
        let entry = byModel.get(model);
        if (!entry) byModel.set(model, (entry = { wallMs: [], firstTokenMs: [] }));
        entry.wallMs.push(wallMs);
        if (firstTokenMs !== null) entry.firstTokenMs.push(firstTokenMs);
      }
      return byModel;
    },
    recordedPresets: () => presets.all() as string[],
  };
}
