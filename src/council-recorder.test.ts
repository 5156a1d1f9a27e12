import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { PHOTO, REPORT_PDF } from "../test-support/attachment-samples.js";
import { completedCouncil, stats } from "../test-support/scripted-councils.js";
import type { CouncilEvent } from "./council/events.js";
import { openCouncilRecorder } from "./council-recorder.js";

// The terminal's record keeps a council's files as the chat bots' does: every fact, a
// document's text, an image's description, and never an image's bytes.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-recorder-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function* replay(events: readonly CouncilEvent[]): AsyncGenerator<CouncilEvent> {
  yield* events;
}

it("records a terminal council's files, an image by its facts and its description", async () => {
  const path = join(dir, "council.db");
  const recorder = openCouncilRecorder(path, "alice", pino({ level: "silent" }));
  const [started, ...rest] = completedCouncil();
  const described: CouncilEvent = { type: "image-described", image: PHOTO.name, sha256: PHOTO.sha256, member: "Llava", model: "llava:7b", text: "A bar chart.", wallMs: 700, stats: stats("llava:7b", "answers", 30, 700) };
  const events = [started as CouncilEvent, described, ...rest];
  const seen: CouncilEvent[] = [];
  for await (const event of recorder.record("What does the chart say?", "balanced", replay(events), [REPORT_PDF, PHOTO])) seen.push(event);
  expect(seen).toEqual(events);
  recorder.close();

  const db = new Database(path, { readonly: true });
  const rows = db.prepare("SELECT f.name, f.kind, f.size, f.sha256, f.text, f.description FROM council_files f JOIN councils c ON c.id = f.council_id WHERE c.platform = 'console' ORDER BY f.position").all();
  const everything = JSON.stringify(db.prepare("SELECT * FROM council_files").all());
  db.close();
  expect(rows).toEqual([
    { name: "report.pdf", kind: "document", size: 48_213, sha256: REPORT_PDF.sha256, text: REPORT_PDF.text, description: null },
    { name: "photo.png", kind: "image", size: 120_000, sha256: PHOTO.sha256, text: null, description: "A bar chart." },
  ]);
  expect(everything).not.toContain(PHOTO.image.base64);
});
