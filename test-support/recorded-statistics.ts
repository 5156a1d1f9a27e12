import type { Database } from "better-sqlite3";
import { createCouncilStore } from "../src/store/council-store.js";
import { writeCouncil } from "./recorded-councils.js";
import { COUNCILS, NOW } from "./statistics-fixture.js";

// The statistics fixture's three councils (statistics-fixture.ts) recorded in a chat world's
// database, dated from `now` as they are from the fixture's NOW (an hour, two days and twenty
// days ago), each with the same question, which no statistic may ever show.

export const RECORDED_QUESTION = "What is the launch code of project NIGHTJAR?";

export function recordStatisticsFixture(db: Database, now = Date.now()): void {
  let clock = 0;
  const store = createCouncilStore(db, () => clock);
  for (const council of COUNCILS) writeCouncil(store, (at) => (clock = at), { ...council, at: now - (NOW - council.at) });
  db.prepare(`UPDATE councils SET question = ? WHERE id IN (${COUNCILS.map(() => "?").join(", ")})`).run(RECORDED_QUESTION, ...COUNCILS.map((council) => council.id));
}
