import type { Database } from "better-sqlite3";
import type { PriorTurn } from "../council/prompts.js";
import type { AttachmentRecord } from "../files/index.js";
import { createCouncilFiles } from "./council-files.js";
import type { CouncilRecord, FileRecord, FinishedCouncil, MemberRecord, NewCouncil, RecordStatus } from "./council-record.js";
import { createSummaryWriter } from "./summary-writer.js";

// The councils table, behind a handful of statements. Every call is synchronous and may throw
// (disk full, database locked): safe-store.ts decides what a failure costs the caller.

export interface CouncilStore {
  create(council: NewCouncil): void;
  /** The files the council is asked about, in their order; never an image's bytes (see attachmentRecord). */
  files(id: string, files: readonly AttachmentRecord[]): void;
  /** The description a member wrote of one of the council's images (the engine's "image-described" event). */
  imageDescribed(id: string, sha256: string, description: string): void;
  /** Where the council is shown, once the platform has answered with message ids. */
  place(id: string, place: unknown, threadKey?: string): void;
  started(id: string, members: MemberRecord[]): void;
  answers(id: string, members: MemberRecord[]): void;
  review(id: string, ballots: CouncilRecord["ballots"], ranking: CouncilRecord["ranking"]): void;
  finished(id: string, outcome: FinishedCouncil): void;
  /**
   * Ends an unfinished council with its status alone: a small write that may succeed where the
   * whole record (answers, ballots, verdict) cannot, so the council is not left "running".
   */
  settle(id: string, status: FinishedCouncil["status"], reason?: string): void;
  /** Marks every queued or running council interrupted and returns them: they were cut off by a stop. */
  interruptUnfinished(reason: string): CouncilRecord[];
  /** The questions and final answers of a conversation's councils, oldest first. */
  threadTurns(threadKey: string): PriorTurn[];
  /**
   * Up to `max` distinct files (by sha256) of a conversation's councils that a follow-up can
   * carry, the most recent, oldest first: documents, and images a member described.
   */
  threadFiles(threadKey: string, max: number): FileRecord[];
  hasThread(threadKey: string): boolean;
  get(id: string): CouncilRecord | undefined;
  /** The latest councils, newest first (for tests and benchmarks, and a look inside). */
  recent(limit: number): CouncilRecord[];
  /** True the first time an event id is claimed; claims older than `keepMs` are forgotten. */
  claimEvent(eventId: string, keepMs: number): boolean;
}

interface Row {
  id: string;
  platform: string;
  asker: string;
  question: string;
  preset: string;
  thread_key: string | null;
  place: string | null;
  status: RecordStatus;
  reason: string | null;
  members: string | null;
  ballots: string | null;
  ranking: string | null;
  verdict: string | null;
  usage: string | null;
  latency: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parsed = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

export function createCouncilStore(db: Database, now: () => number = Date.now): CouncilStore {
  const insert = db.prepare(
    "INSERT INTO councils (id, platform, asker, question, preset, thread_key, status, created_at) VALUES (@id, @platform, @asker, @question, @preset, @threadKey, 'queued', @at)",
  );
  const setPlace = db.prepare("UPDATE councils SET place = ?, thread_key = coalesce(?, thread_key) WHERE id = ?");
  const setStarted = db.prepare("UPDATE councils SET status = 'running', members = ?, started_at = ? WHERE id = ? AND status = 'queued'");
  const setMembers = db.prepare("UPDATE councils SET members = ? WHERE id = ?");
  const setReview = db.prepare("UPDATE councils SET ballots = ?, ranking = ? WHERE id = ?");
  const writeSummary = createSummaryWriter(db);
  const files = createCouncilFiles(db);
  const setFinished = db.prepare(
    "UPDATE councils SET status = @status, reason = @reason, members = @members, verdict = @verdict, usage = @usage, latency = @latency, finished_at = @at WHERE id = @id",
  );
  const setSettled = db.prepare("UPDATE councils SET status = ?, reason = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')");
  const selectUnfinished = db.prepare("SELECT * FROM councils WHERE status IN ('queued', 'running') ORDER BY created_at");
  const selectTurns = db.prepare(
    "SELECT question, verdict FROM councils WHERE thread_key = ? AND status IN ('completed', 'partial') AND verdict IS NOT NULL ORDER BY created_at, rowid",
  );
  const selectThread = db.prepare("SELECT 1 FROM councils WHERE thread_key = ? LIMIT 1");
  const selectOne = db.prepare("SELECT * FROM councils WHERE id = ?");
  const selectRecent = db.prepare("SELECT * FROM councils ORDER BY created_at DESC, rowid DESC LIMIT ?");
  const insertClaim = db.prepare("INSERT OR IGNORE INTO handled_events (event_id, handled_at) VALUES (?, ?)");
  const pruneClaims = db.prepare("DELETE FROM handled_events WHERE handled_at < ?");

  // The record and its summary together, or neither.
  const finish = db.transaction((id: string, outcome: FinishedCouncil) => {
    setFinished.run({
      id,
      status: outcome.status,
      reason: outcome.reason ?? null,
      members: json(outcome.members),
      verdict: json(outcome.verdict),
      usage: json(outcome.usage),
      latency: json(outcome.latency),
      at: now(),
    });
    if (outcome.summary) writeSummary(id, outcome.summary);
  });

  const interruptUnfinished = db.transaction((reason: string) => {
    const rows = selectUnfinished.all() as Row[];
    const at = now();
    for (const row of rows) setSettled.run("interrupted", reason, at, row.id);
    return rows.map((row) => ({ ...fromRow(row), status: "interrupted" as const, reason, finishedAt: at }));
  });

  return {
    create(council) {
      insert.run({ ...council, threadKey: council.threadKey ?? null, at: now() });
    },
    files: (id, records) => files.record(id, records),
    imageDescribed: (id, sha256, description) => files.describe(id, sha256, description),
    place(id, place, threadKey) {
      setPlace.run(json(place), threadKey ?? null, id);
    },
    started(id, members) {
      setStarted.run(json(members), now(), id);
    },
    answers(id, members) {
      setMembers.run(json(members), id);
    },
    review(id, ballots, ranking) {
      setReview.run(json(ballots), json(ranking), id);
    },
    finished: (id, outcome) => finish(id, outcome),
    settle(id, status, reason) {
      setSettled.run(status, reason ?? null, now(), id);
    },
    interruptUnfinished: (reason) => interruptUnfinished(reason),
    threadTurns(threadKey) {
      return (selectTurns.all(threadKey) as Array<{ question: string; verdict: string }>).map((row) => ({
        question: row.question,
        answer: (JSON.parse(row.verdict) as { text: string }).text,
      }));
    },
    threadFiles: (threadKey, max) => files.ofThread(threadKey, max),
    hasThread: (threadKey) => selectThread.get(threadKey) !== undefined,
    get(id) {
      const row = selectOne.get(id) as Row | undefined;
      return row && fromRow(row);
    },
    recent: (limit) => (selectRecent.all(limit) as Row[]).map(fromRow),
    claimEvent(eventId, keepMs) {
      const at = now();
      pruneClaims.run(at - keepMs);
      return insertClaim.run(eventId, at).changes === 1;
    },
  };
}

function fromRow(row: Row): CouncilRecord {
  const place = parsed<unknown>(row.place);
  const ranking = parsed<CouncilRecord["ranking"]>(row.ranking);
  const verdict = parsed<CouncilRecord["verdict"]>(row.verdict);
  const usage = parsed<CouncilRecord["usage"]>(row.usage);
  const latency = parsed<CouncilRecord["latency"]>(row.latency);
  return {
    id: row.id,
    platform: row.platform,
    asker: row.asker,
    question: row.question,
    preset: row.preset,
    ...(row.thread_key !== null && { threadKey: row.thread_key }),
    status: row.status,
    ...(row.reason !== null && { reason: row.reason }),
    ...(place !== undefined && { place }),
    members: parsed<MemberRecord[]>(row.members) ?? [],
    ballots: parsed<CouncilRecord["ballots"]>(row.ballots) ?? [],
    ...(ranking && { ranking }),
    ...(verdict && { verdict }),
    ...(usage && { usage }),
    ...(latency && { latency }),
    createdAt: row.created_at,
    ...(row.started_at !== null && { startedAt: row.started_at }),
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
  };
}
