import type { Database } from "better-sqlite3";
import type { CouncilSummary } from "./council-summary.js";
import { encodeSummary, HOUR_MS } from "./summary-codec.js";

// Appends a council's summary to its hour's blob (summary-codec.ts), by preset: its model list
// once in model_lists (a preset's councils share one), the rest as integers. Once per council:
// a final record written again (a retry after a failed write, a second end) appends nothing.

/** Call it inside the transaction that writes the council's final record. */
export function createSummaryWriter(db: Database): (councilId: string, summary: CouncilSummary) => void {
  const addList = db.prepare("INSERT OR IGNORE INTO model_lists (models) VALUES (?)");
  const listId = db.prepare("SELECT id FROM model_lists WHERE models = ?").pluck();
  const council = db.prepare("SELECT created_at, preset, summarized FROM councils WHERE id = ?");
  const markSummarized = db.prepare("UPDATE councils SET summarized = 1 WHERE id = ?");
  // || joins blobs as text; CAST keeps the bytes a blob.
  const append = db.prepare(
    `INSERT INTO summary_hours (hour, preset, councils, facts) VALUES (@hour, @preset, 1, @facts)
     ON CONFLICT (hour, preset) DO UPDATE SET councils = councils + 1, facts = CAST(facts || excluded.facts AS BLOB)`,
  );
  return (councilId, summary) => {
    const row = council.get(councilId) as { created_at: number; preset: string; summarized: number } | undefined;
    if (!row || row.summarized) return;
    markSummarized.run(councilId);
    const models = JSON.stringify(summary.models);
    addList.run(models);
    const hour = Math.floor(row.created_at / HOUR_MS);
    append.run({ hour, preset: row.preset, facts: encodeSummary(summary, listId.get(models) as number, row.created_at - hour * HOUR_MS) });
  };
}
