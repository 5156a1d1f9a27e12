import type { Database } from "better-sqlite3";
import { backfillSummaries } from "./backfill-summaries.js";

// The store's schema, one step per version. SQLite's user_version says how far a database
// file has come; each step runs in its own transaction, so a crash mid-upgrade leaves the file
// at the last whole version. Steps are only ever appended: a released step never changes.

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Fills what the step added from what the file already holds, in the step's transaction. */
  backfill?: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "councils, written stage by stage",
    sql: `
      CREATE TABLE councils (
        id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        asker TEXT NOT NULL,
        question TEXT NOT NULL,
        preset TEXT NOT NULL,
        thread_key TEXT,
        place TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'partial', 'failed', 'interrupted')),
        reason TEXT,
        members TEXT,
        ballots TEXT,
        ranking TEXT,
        verdict TEXT,
        usage TEXT,
        latency TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
      );
      CREATE INDEX councils_by_thread ON councils (thread_key, created_at);
      CREATE INDEX councils_unfinished ON councils (status) WHERE status IN ('queued', 'running');
    `,
  },
  {
    version: 2,
    description: "chat events already handled, so a redelivery after a restart starts nothing",
    sql: `
      CREATE TABLE handled_events (
        event_id TEXT PRIMARY KEY,
        handled_at INTEGER NOT NULL
      );
      CREATE INDEX handled_events_by_age ON handled_events (handled_at);
    `,
  },
  {
    version: 3,
    description: "for the statistics: each council's summary (calls, stage times, peer review in its models' names), packed by hour and preset",
    // A year of councils is read in a fraction of a second from a few thousand rows of
    // integers (summary-codec.ts); the councils table's rows carry answers and critiques.
    sql: `
      CREATE TABLE model_lists (
        id INTEGER PRIMARY KEY,
        models TEXT NOT NULL UNIQUE
      );
      CREATE TABLE summary_hours (
        hour INTEGER NOT NULL,
        preset TEXT NOT NULL,
        councils INTEGER NOT NULL,
        facts BLOB NOT NULL,
        PRIMARY KEY (hour, preset)
      ) WITHOUT ROWID;
      CREATE INDEX councils_by_age ON councils (created_at, preset, status, platform);
      ALTER TABLE councils ADD COLUMN summarized INTEGER NOT NULL DEFAULT 0;
    `,
    backfill: backfillSummaries,
  },
  {
    version: 4,
    description: "the files each council was asked about: their facts, a document's text and an image's description (never an image's bytes)",
    // A follow-up reads its thread's files from here instead of downloading them again: a
    // document's text as the members read it, an image as the description a member wrote of it.
    sql: `
      CREATE TABLE council_files (
        council_id TEXT NOT NULL REFERENCES councils (id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('document', 'image')),
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        pages INTEGER,
        characters_total INTEGER,
        characters_used INTEGER,
        width INTEGER,
        height INTEGER,
        text TEXT,
        description TEXT,
        PRIMARY KEY (council_id, position)
      ) WITHOUT ROWID;
    `,
  },
];

export class StoreVersionError extends Error {
  override readonly name = "StoreVersionError";
}

/** Brings the database up to the latest version; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreVersionError(
      `the council database is at schema version ${current}, newer than this council knows (${latest}); update council, or point COUNCIL_DB at another file.`,
    );
  }
  const applied: number[] = [];
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      step.backfill?.(db);
      // PRAGMA takes no bound parameters; the version is one of our own integers.
      db.pragma(`user_version = ${step.version}`);
    })();
    applied.push(step.version);
  }
  return applied;
}
