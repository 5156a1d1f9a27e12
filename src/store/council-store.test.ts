import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILD_LOG, PHOTO, REPORT_PDF, sampleDocument, sampleImage } from "../../test-support/attachment-samples.js";
import { completedCouncil, failedMemberCouncil, stats } from "../../test-support/scripted-councils.js";
import { captureLogs } from "../../test-support/log-capture.js";
import type { CouncilEvent } from "../council/events.js";
import { type Attachment, attachmentRecord, type ImageAttachment } from "../files/index.js";
import { createCouncilStore, type CouncilStore } from "./council-store.js";
import { MIGRATIONS, migrate, StoreVersionError } from "./migrations.js";
import { openDatabase, StoreOpenError } from "./open-database.js";
import { recordEvents } from "./record-events.js";
import type { CouncilSummary } from "./council-summary.js";
import { decodeSummaries } from "./summary-codec.js";
import { createSafeStore } from "./safe-store.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-store-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Every hour's summaries, decoded. */
function storedSummaries(db: Database.Database) {
  const lists = new Map((db.prepare("SELECT id, models FROM model_lists").all() as Array<{ id: number; models: string }>).map((row) => [row.id, JSON.parse(row.models) as string[]]));
  const hours = db.prepare("SELECT hour, preset, councils, facts FROM summary_hours ORDER BY hour, preset").all() as Array<{ hour: number; preset: string; councils: number; facts: Buffer }>;
  return hours.map(({ facts, ...hour }) => ({ ...hour, summaries: decodeSummaries(facts, lists) }));
}

async function* replay(events: readonly CouncilEvent[]): AsyncGenerator<CouncilEvent> {
  yield* events;
}

async function record(store: CouncilStore, id: string, events: readonly CouncilEvent[], threadKey?: string) {
  store.create({ id, platform: "discord", asker: "42", question: "Why is the sky blue?", preset: "balanced", ...(threadKey && { threadKey }) });
  const seen: CouncilEvent[] = [];
  for await (const event of recordEvents(replay(events), store, id)) seen.push(event);
  return seen;
}

describe("the council database", () => {
  it("is created with its folder, at the latest schema version", () => {
    const db = openDatabase(join(dir, "deep", "er", "council.db"));
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("upgrades a file step by step, keeping what it holds", () => {
    const path = join(dir, "old.db");
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 1));
    old.prepare("INSERT INTO councils (id, platform, asker, question, preset, status, created_at) VALUES ('a', 'slack', 'U1', 'q?', 'p', 'completed', 1)").run();
    old.close();
    const db = new Database(path);
    expect(migrate(db)).toEqual([2, 3, 4]);
    const store = createCouncilStore(db);
    expect(store.get("a")?.question).toBe("q?");
    expect(store.claimEvent("Ev1", 60_000)).toBe(true);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it("summarises the councils recorded before version 3, so the ratings and stage times keep the history", () => {
    const path = join(dir, "v2.db");
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 2));
    const members = [
      { name: "Llama", model: "llama3.2:3b", status: "answered" },
      { name: "Qwen", model: "qwen2.5:3b", status: "answered" },
    ];
    const ballots = [{ reviewer: "Llama", abstained: false, ranking: ["Qwen"], scores: { Qwen: 8 }, critiques: {}, repaired: false }];
    const ranking = { rows: [{ member: "Qwen", position: 1 }, { member: "Llama", position: 2 }], consensus: 0.5 };
    const latency = { totalMs: 9000.4, byStage: { answers: 4000.4, review: 5000 } };
    old.prepare("INSERT INTO councils (id, platform, asker, question, preset, status, members, ballots, ranking, latency, created_at) VALUES ('a', 'slack', 'U1', 'q?', 'p', 'completed', ?, ?, ?, ?, 1)")
      .run(JSON.stringify(members), JSON.stringify(ballots), JSON.stringify(ranking), JSON.stringify(latency));
    old.prepare("INSERT INTO councils (id, platform, asker, question, preset, status, created_at) VALUES ('b', 'slack', 'U1', 'q?', 'p', 'running', 2)").run();
    old.close();
    const db = new Database(path);
    expect(migrate(db)).toEqual([3, 4]);
    expect(storedSummaries(db)).toEqual([
      {
        hour: 0,
        preset: "p",
        councils: 1,
        summaries: [
          {
            models: ["qwen2.5:3b", "llama3.2:3b"],
            stages: { answers: 4000, review: 5000 },
            calls: [],
            review: { placed: [0, 1], consensus: 0.5, ballots: [[1, [0], [8], null]] },
          },
        ],
      },
    ]);
    db.close();
  });

  it("adds the councils' files to a version 3 file, keeping its councils and their threads", () => {
    const path = join(dir, "v3.db");
    const old = new Database(path);
    migrate(old, MIGRATIONS.slice(0, 3));
    old
      .prepare("INSERT INTO councils (id, platform, asker, question, preset, thread_key, status, verdict, created_at) VALUES ('a', 'discord', '1', 'What is in the report?', 'p', 'thread-1', 'completed', ?, 1)")
      .run(JSON.stringify({ text: "Revenue rose." }));
    old.close();
    const db = new Database(path);
    expect(migrate(db)).toEqual([4]);
    const store = createCouncilStore(db);
    expect(store.get("a")).toMatchObject({ question: "What is in the report?", status: "completed", threadKey: "thread-1", verdict: { text: "Revenue rose." } });
    expect(store.threadTurns("thread-1")).toEqual([{ question: "What is in the report?", answer: "Revenue rose." }]);
    // A council from before files has none; the next one in its thread records and carries its own.
    expect(store.threadFiles("thread-1", 6)).toEqual([]);
    store.create({ id: "b", platform: "discord", asker: "1", question: "And this log?", preset: "p", threadKey: "thread-1" });
    store.files("b", [BUILD_LOG]);
    expect(store.threadFiles("thread-1", 6)).toEqual([BUILD_LOG]);
    db.close();
  });

  it("refuses a file from a newer version, saying what to do", () => {
    const db = new Database(join(dir, "new.db"));
    db.pragma("user_version = 99");
    expect(() => migrate(db)).toThrow(StoreVersionError);
    expect(() => migrate(db)).toThrow(/schema version 99.*update council, or point COUNCIL_DB at another file/);
    db.close();
  });

  it("names COUNCIL_DB and the reason when the file cannot be opened", async () => {
    // A folder cannot be made under a plain file, whoever runs the test (root included).
    const file = join(dir, "a-file");
    await writeFile(file, "");
    expect(() => openDatabase(join(file, "council.db"))).toThrow(StoreOpenError);
    expect(() => openDatabase(join(file, "council.db"))).toThrow(/^COUNCIL_DB: cannot open the council database at .*a-file\/council\.db: EEXIST.*Set COUNCIL_DB to a writable file path\.$/);
  });
});

describe("the council record", () => {
  let db: Database.Database;
  let store: CouncilStore;
  beforeEach(() => {
    db = openDatabase(join(dir, "council.db"));
    store = createCouncilStore(db);
  });
  afterEach(() => db.close());

  it("is written as each stage completes, not only at the end", async () => {
    const events = completedCouncil();
    store.create({ id: "c1", platform: "slack", asker: "T1:U1", question: "Why is the sky blue?", preset: "balanced", threadKey: "C1:1.0" });
    expect(store.get("c1")).toMatchObject({ status: "queued", platform: "slack", asker: "T1:U1", threadKey: "C1:1.0", members: [] });
    const statuses: string[] = [];
    for await (const event of recordEvents(replay(events), store, "c1")) {
      if (event.type === "stage-finished" && event.stage === "answers") {
        const row = store.get("c1");
        statuses.push(row?.status ?? "");
        expect(row?.members.every((member) => member.status === "answered" && member.answer)).toBe(true);
        expect(row?.verdict).toBeUndefined();
      }
      if (event.type === "ranking") {
        expect(store.get("c1")?.ranking?.rows.length).toBeGreaterThan(0);
        expect(store.get("c1")?.ballots.length).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual(["running"]);
    const done = store.get("c1");
    expect(done).toMatchObject({ status: "completed", verdict: { text: expect.any(String), by: { kind: "chairman" } } });
    expect(done?.usage?.completionTokens).toBeGreaterThan(0);
    expect(done?.latency?.totalMs).toBeGreaterThan(0);
    expect(done?.startedAt).toBeDefined();
    expect(done?.finishedAt).toBeDefined();
  });

  it("summarises the council for the statistics as it ends: every call, answered or failed, its stage times and its peer review", async () => {
    await record(store, "c3", failedMemberCouncil());
    const [hour] = storedSummaries(db);
    expect(hour).toMatchObject({ hour: Math.floor((store.get("c3")?.createdAt ?? 0) / 3_600_000), preset: "balanced", councils: 1 });
    const summary = hour?.summaries[0] as CouncilSummary;
    expect(summary.models).toEqual(["gemma2:2b", "llama3.2:3b", "qwen2.5:3b", "llama3.1:8b"]);
    expect(summary.stages).toEqual({ answers: 4300, review: 3000, synthesis: 5000 });
    expect(summary.calls).toEqual([
      [0, "answers", "model-missing", 0, 0, 0, 30, null],
      [1, "answers", null, 100, 312, 7800, 4200, null],
      [2, "answers", null, 100, 280, 7000, 3900, null],
      [1, "review", null, 100, 80, 2000, 2000, null],
      [2, "review", null, 100, 80, 2000, 2000, null],
      [3, "synthesis", null, 100, 90, 2250, 5000, null],
    ]);
    expect(summary.review).toEqual({ placed: [1, 2], consensus: 0.78, ballots: [[1, [2], [8], null], [2, [1], [9], null]] });
    // A final record written again (a second end, a retry) adds no second summary.
    store.finished("c3", { status: "partial", members: [], summary });
    expect(storedSummaries(db)[0]?.councils).toBe(1);
  });

  it("keeps a failed member's error, and the partial status", async () => {
    await record(store, "c2", failedMemberCouncil());
    const row = store.get("c2");
    expect(row?.status).toBe("partial");
    expect(row?.members.find((member) => member.status === "failed")?.error?.message).toMatch(/ollama pull/);
  });

  it("marks queued and running councils interrupted at start, and returns them with their places", async () => {
    store.create({ id: "q", platform: "discord", asker: "1", question: "queued?", preset: "p" });
    store.create({ id: "r", platform: "slack", asker: "2", question: "running?", preset: "p" });
    store.started("r", []);
    store.place("r", { teamId: "T1", channel: "C1", ts: "2.0" });
    await record(store, "done", completedCouncil());
    const interrupted = store.interruptUnfinished("restarted");
    expect(interrupted.map((row) => [row.id, row.status, row.reason])).toEqual([
      ["q", "interrupted", "restarted"],
      ["r", "interrupted", "restarted"],
    ]);
    expect(interrupted[1]?.place).toEqual({ teamId: "T1", channel: "C1", ts: "2.0" });
    expect(store.get("done")?.status).toBe("completed");
    expect(store.interruptUnfinished("again")).toEqual([]);
    expect(store.recent(2).map((row) => row.id)).toEqual(["done", "r"]);
  });

  it("gives a conversation's answered questions as context, oldest first, skipping failed councils", async () => {
    await record(store, "t1", completedCouncil(), "thread-1");
    store.create({ id: "t2", platform: "discord", asker: "1", question: "failed?", preset: "p", threadKey: "thread-1" });
    store.finished("t2", { status: "failed", reason: "down", members: [] });
    await record(store, "t3", failedMemberCouncil(), "thread-1");
    await record(store, "other", completedCouncil(), "thread-2");
    const turns = store.threadTurns("thread-1");
    expect(turns).toHaveLength(2);
    expect(turns[0]).toEqual({ question: "Why is the sky blue?", answer: store.get("t1")?.verdict?.text });
    expect(store.hasThread("thread-1")).toBe(true);
    expect(store.hasThread("nowhere")).toBe(false);
  });

  it("keeps a council's files with every fact and no image's bytes, and an image's description from the engine's event", async () => {
    // Discord names every pasted screenshot "image.png": a description finds its image by its bytes (sha256), in whatever order they finish.
    const first = sampleImage("image.png", { type: "jpeg", width: 1280, height: 720, image: { base64: "FIRST-SCREENSHOT-BYTES", format: "jpeg" } });
    const second = sampleImage("image.png", { sha256: "f".repeat(64), image: { base64: "SECOND-SCREENSHOT-BYTES", format: "png" } });
    const files: Attachment[] = [REPORT_PDF, first, PHOTO, second];
    store.create({ id: "f", platform: "discord", asker: "1", question: "What do these show?", preset: "p", threadKey: "thread-f" });
    store.files("f", files.map(attachmentRecord));
    const described = (image: ImageAttachment, text: string): CouncilEvent => ({ type: "image-described", image: image.name, sha256: image.sha256, member: "Llava", model: "llava:7b", text, wallMs: 800, stats: stats("llava:7b", "answers", 40, 800) });
    const [started, ...rest] = completedCouncil();
    const events = [started as CouncilEvent, described(second, "A login form with an error."), described(first, "A terminal showing a stack trace."), ...rest];
    const seen: CouncilEvent[] = [];
    for await (const event of recordEvents(replay(events), store, "f")) seen.push(event);
    expect(seen).toEqual(events);

    const { image: _first, ...firstFacts } = first;
    const { image: _second, ...secondFacts } = second;
    // PHOTO was not described (a member that could see it had it): it is kept, and not carried.
    expect(store.threadFiles("thread-f", 6)).toEqual([
      REPORT_PDF,
      { ...firstFacts, description: "A terminal showing a stack trace." },
      { ...secondFacts, description: "A login form with an error." },
    ]);
    const rows = db.prepare("SELECT * FROM council_files WHERE council_id = 'f' ORDER BY position").all() as Array<Record<string, unknown>>;
    expect(rows.map((row) => [row.name, row.kind, row.type, row.size, row.width, row.height, row.description])).toEqual([
      ["report.pdf", "document", "pdf", 48_213, null, null, null],
      ["image.png", "image", "jpeg", 120_000, 1280, 720, "A terminal showing a stack trace."],
      ["photo.png", "image", "png", 120_000, 800, 600, null],
      ["image.png", "image", "png", 120_000, 800, 600, "A login form with an error."],
    ]);
    const file = JSON.stringify(rows);
    for (const bytes of ["FIRST-SCREENSHOT-BYTES", "SECOND-SCREENSHOT-BYTES", PHOTO.image.base64]) expect(file).not.toContain(bytes);
  });

  it("gives a follow-up the latest distinct files of its thread, oldest first, an image only once described, at most as many as asked", () => {
    const council = (id: string, threadKey: string, files: Attachment[]) => {
      store.create({ id, platform: "slack", asker: "U1", question: "q?", preset: "p", threadKey });
      store.files(id, files.map(attachmentRecord));
    };
    const notes = [1, 2, 3, 4].map((n) => sampleDocument(`notes-${n}.md`, `Notes, part ${n}.`, { type: "markdown" }));
    council("t1", "thread-1", [REPORT_PDF, PHOTO]);
    council("t2", "thread-1", [notes[0] as Attachment, sampleImage("blurry.png")]);
    council("t3", "thread-1", [REPORT_PDF, notes[1] as Attachment]);
    store.imageDescribed("t1", PHOTO.sha256, "A bar chart.");
    council("t4", "thread-1", [notes[2] as Attachment, notes[3] as Attachment]);
    council("other", "thread-2", [BUILD_LOG]);

    // The report's latest copy (t3) places it; the undescribed image is left out.
    expect(store.threadFiles("thread-1", 6).map((file) => file.name)).toEqual(["photo.png", "notes-1.md", "report.pdf", "notes-2.md", "notes-3.md", "notes-4.md"]);
    expect(store.threadFiles("thread-1", 3).map((file) => file.name)).toEqual(["notes-2.md", "notes-3.md", "notes-4.md"]);
    expect(store.threadFiles("thread-2", 6)).toEqual([BUILD_LOG]);
    expect(store.threadFiles("nowhere", 6)).toEqual([]);
  });

  it("records a thread opened later, with the card's place", () => {
    store.create({ id: "d", platform: "discord", asker: "1", question: "q?", preset: "p" });
    store.place("d", { channelId: "10", messageId: "11" });
    store.place("d", { channelId: "10", messageId: "11" }, "thread-9");
    expect(store.get("d")).toMatchObject({ place: { channelId: "10", messageId: "11" }, threadKey: "thread-9" });
    expect(store.hasThread("thread-9")).toBe(true);
  });

  it("claims an event id once, and forgets it after its time", () => {
    let now = 1_000;
    const clocked = createCouncilStore(db, () => now);
    expect(clocked.claimEvent("Ev1", 60_000)).toBe(true);
    expect(clocked.claimEvent("Ev1", 60_000)).toBe(false);
    now += 60_001;
    expect(clocked.claimEvent("Ev1", 60_000)).toBe(true);
  });
});

describe("a database that fails under the council", () => {
  it("when locked by another process: calls give up quickly, the error is logged once, and recovery is logged", () => {
    const path = join(dir, "council.db");
    const db = openDatabase(path);
    const logs = captureLogs();
    const store = createSafeStore(createCouncilStore(db), logs.logger);
    const other = new Database(path);
    other.exec("BEGIN EXCLUSIVE");
    const startedAt = performance.now();
    for (let i = 0; i < 5; i += 1) store.create({ id: `c${i}`, platform: "slack", asker: "U", question: "q?", preset: "p" });
    expect(performance.now() - startedAt).toBeLessThan(5 * 1_000);
    expect(store.claimEvent("Ev", 1_000)).toBe(true);
    const errors = logs.entries().filter((entry) => entry.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "SQLITE_BUSY", during: "create" });
    other.exec("ROLLBACK");
    other.close();
    store.create({ id: "after", platform: "slack", asker: "U", question: "q?", preset: "p" });
    expect(store.get("after")?.status).toBe("queued");
    expect(logs.entries().find((entry) => entry.msg === "the council database works again")).toMatchObject({ lost: 6 });
    db.close();
  });

  it("when full: files that do not fit are dropped, logged, and the council goes on", () => {
    const db = openDatabase(join(dir, "council.db"));
    const logs = captureLogs();
    const store = createSafeStore(createCouncilStore(db), logs.logger);
    store.create({ id: "c", platform: "slack", asker: "U", question: "q?", preset: "p", threadKey: "T" });
    db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);
    expect(() => store.files("c", [sampleDocument("big.txt", "x".repeat(1_000_000))])).not.toThrow();
    expect(logs.entries().filter((entry) => entry.level === 50)).toMatchObject([{ code: "SQLITE_FULL", during: "files" }]);
    // Nothing half-written: the follow-up carries no file rather than a cut one.
    expect(store.threadFiles("T", 6)).toEqual([]);
    store.settle("c", "completed");
    expect(store.get("c")?.status).toBe("completed");
    db.close();
  });

  it("when full: the council is still recorded as far as it goes, and the error is logged once", async () => {
    const db = openDatabase(join(dir, "council.db"));
    const logs = captureLogs();
    const store = createSafeStore(createCouncilStore(db), logs.logger);
    store.create({ id: "big", platform: "slack", asker: "U", question: "q?", preset: "p" });
    // No page may be added any more: the next write that needs one fails with SQLITE_FULL.
    db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);
    const events = completedCouncil().map((event) => (event.type === "member-answered" ? { ...event, answer: event.answer.repeat(2_000) } : event));
    const seen: CouncilEvent[] = [];
    for await (const event of recordEvents(replay(events), store, "big")) seen.push(event);
    expect(seen).toEqual(events);
    const errors = logs.entries().filter((entry) => entry.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "SQLITE_FULL" });
    // The whole record did not fit, but the status did: the council is not left "running".
    expect(store.get("big")).toMatchObject({ status: "completed" });
    expect(store.get("big")?.verdict).toBeUndefined();
    // Space comes back: the next call writes the whole record, and says the database works again.
    db.pragma("max_page_count = 1073741823");
    store.create({ id: "next", platform: "slack", asker: "U", question: "q?", preset: "p" });
    expect(store.get("big")?.verdict?.text).toBe("The sky is blue because air scatters blue light most.");
    expect(logs.entries().some((entry) => entry.msg === "the council database works again")).toBe(true);
    db.close();
  });
});
