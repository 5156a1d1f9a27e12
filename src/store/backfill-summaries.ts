import type { Database } from "better-sqlite3";
import type { Ballot, RankingRow } from "../council/events.js";
import type { StageName } from "../council/usage.js";
import type { MemberRecord } from "./council-record.js";
import { type CouncilSummary, summarizeCouncil } from "./council-summary.js";
import { createSummaryWriter } from "./summary-writer.js";

// Councils recorded before the statistics existed get their summary once, at the upgrade, from
// what their record holds: stage times and the peer review, so the ratings and the stage times
// start from the history a user already has. Their model calls were never recorded one by one;
// the per-call figures start with the upgrade.

export function backfillSummaries(db: Database): void {
  const rows = db
    .prepare("SELECT id, members, ballots, ranking, latency FROM councils WHERE status NOT IN ('queued', 'running')")
    .iterate() as IterableIterator<{ id: string; members: string | null; ballots: string | null; ranking: string | null; latency: string | null }>;
  const summaries: Array<[string, CouncilSummary]> = [];
  for (const row of rows) {
    summaries.push([
      row.id,
      summarizeCouncil({
        members: row.members === null ? [] : (JSON.parse(row.members) as MemberRecord[]),
        calls: [],
        byStage: row.latency === null ? {} : ((JSON.parse(row.latency) as { byStage?: Partial<Record<StageName, number>> }).byStage ?? {}),
        ballots: row.ballots === null ? [] : (JSON.parse(row.ballots) as Ballot[]),
        ...(row.ranking !== null && { ranking: JSON.parse(row.ranking) as { rows: RankingRow[]; consensus: number | null } }),
      }),
    ]);
  }
  // SQLite allows no write through a statement while another one is still being read.
  const write = createSummaryWriter(db);
  for (const [id, summary] of summaries) write(id, summary);
}
