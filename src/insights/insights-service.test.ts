import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureLogs } from "../../test-support/log-capture.js";
import { RECORDED_QUESTION, recordStatisticsFixture } from "../../test-support/recorded-statistics.js";
import { NOW } from "../../test-support/statistics-fixture.js";
import { openDatabase } from "../store/open-database.js";
import { DASHBOARD_SIZE } from "./charts/index.js";
import { createInsightsService, type InsightsAnswer, type InsightsServiceDeps } from "./insights-service.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let db: Database.Database;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  db = openDatabase(":memory:");
  // Every council with the same question, so a test can see it never reach an answer.
  recordStatisticsFixture(db, NOW);
  logs = captureLogs();
});
afterEach(() => db.close());

function service(overrides: Partial<InsightsServiceDeps> = {}) {
  return createInsightsService({
    db,
    presets: { names: ["balanced", "quick"] },
    database: "data/council.db",
    logger: logs.logger,
    now: () => NOW,
    ...overrides,
  });
}

function report(answer: InsightsAnswer) {
  if (answer.kind !== "report") throw new Error(`expected a report, got ${JSON.stringify(answer)}`);
  return answer;
}

describe("/council-stats' answer", () => {
  it("gives the last 7 days by default: the title, the leaderboard, the totals and the dashboard", async () => {
    const answer = report(await service().answer({}));
    expect(answer.title).toBe("council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)");
    expect(answer.leaderboard[0]).toMatch(/^#\s+model\s+rating/);
    expect(answer.leaderboard.slice(1).map((line) => line.split(/\s+/)[1])).toEqual(["b:1b", "a:1b", "c:1b", "chair:8b"]);
    expect(answer.totals).toBe("1670 prompt and 1130 completion tokens in 12 model calls.");
    expect(answer.chart?.fileName).toBe("council-stats-7d.png");
    expect(answer.chart?.description).toContain(answer.title);
    const png = answer.chart?.png ?? Buffer.alloc(0);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(DASHBOARD_SIZE);
    expect(answer.note).toBeUndefined();
  });

  it("reads the period and the preset as typed, spaces and case aside, and prices the tokens when the presets file names a price", async () => {
    const priced = service({ presets: { names: ["balanced", "quick"], referencePrice: { name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10, currency: "USD" } } });
    const answer = report(await priced.answer({ period: " 30D ", preset: " quick " }));
    expect(answer.title).toBe("council statistics · the last 30 days · preset quick · 1 council (1 failed)");
    expect(answer.totals).toMatch(/; on gpt-4o they would have cost about 0\.00 USD\.$/);
    expect(answer.chart?.fileName).toBe("council-stats-30d-quick.png");
  });

  it("never shows a question", async () => {
    const answers = await Promise.all([service().answer({ period: "all" }), service().answer({ period: "24h", preset: "quick" }), service().answer({ period: "3d" })]);
    expect(JSON.stringify(answers)).not.toContain(RECORDED_QUESTION);
  });

  it("refuses an unknown period or preset with the choices, before computing anything", () => {
    expect(service().prepare({ period: "3d" })).toEqual({ kind: "refused", message: '"3d" is not a period the statistics know; use one of: 24h, 7d, 30d, all.' });
    // The record's presets count too: a preset since renamed in the file still has its history.
    db.prepare("UPDATE councils SET preset = 'old-name' WHERE id = 'c1'").run();
    expect(service().prepare({ preset: "nope" })).toEqual({ kind: "refused", message: 'There is no preset "nope"; the presets are: balanced, quick, old-name.' });
    expect(service().prepare({ preset: "old-name" }).kind).toBe("accepted");
  });

  it("says when a period has no councils, without an image", async () => {
    const answer = await service().answer({ period: "24h", preset: "quick" });
    expect(answer).toEqual({
      kind: "empty",
      title: "council statistics · the last 24 hours · preset quick · 0 councils",
      message: "No councils were recorded in the last 24 hours with the preset quick: ask one, or choose a longer period (all).",
    });
  });

  it("answers the same request again from the first answer while nothing new is recorded, for a minute", async () => {
    let clock = NOW;
    const drawn: string[] = [];
    const charts = { warm() {}, draw: async () => (drawn.push("dashboard"), PNG_SIGNATURE) };
    const insights = service({ charts, now: () => clock });
    // Asked twice at once, and once more later: one computation, one drawing.
    const [first, second] = await Promise.all([insights.answer({ period: "7d" }), insights.answer({ period: "7d" })]);
    expect(second).toBe(first);
    clock += 59_000;
    expect(await insights.answer({ period: " 7D " })).toBe(first);
    expect(drawn).toHaveLength(1);
    // Another request is its own.
    await insights.answer({ period: "30d" });
    expect(drawn).toHaveLength(2);
    // A minute on, or anything written to the record, and it is computed afresh.
    clock += 1_000;
    expect(await insights.answer({ period: "7d" })).not.toBe(first);
    expect(drawn).toHaveLength(3);
    db.prepare("UPDATE councils SET preset = 'quick' WHERE id = 'c1'").run();
    const changed = report(await insights.answer({ period: "7d" }));
    expect(drawn).toHaveLength(4);
    expect(changed.title).toBe("council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)");
  });

  it("does not keep an answer whose chart could not be drawn", async () => {
    let failures = 1;
    const charts = {
      warm() {},
      draw: async () => {
        if (failures-- > 0) throw new Error("the chart process died");
        return PNG_SIGNATURE;
      },
    };
    const insights = service({ charts });
    expect(report(await insights.answer({})).note).toBe("The chart could not be drawn (the bot's log says why).");
    expect(report(await insights.answer({})).chart?.png).toEqual(PNG_SIGNATURE);
  });

  it("refuses with COUNCIL_DB named, never a stack, when the database cannot be read, and logs why", async () => {
    // The statements were prepared while the database was sound, as at the bot's start.
    const insights = service();
    db.exec("DROP TABLE summary_hours");
    const answer = await insights.answer({ period: "7d" });
    expect(answer.kind).toBe("refused");
    const message = answer.kind === "refused" ? answer.message : "";
    expect(message).toBe(
      "The statistics could not be read from the council database (COUNCIL_DB=data/council.db): no such table: summary_hours. Check that the file is readable and undamaged; `npm run doctor` checks it.",
    );
    expect(logs.entries().find((entry) => entry.msg === "the statistics could not be read from the council database")?.err).toMatchObject({ message: "no such table: summary_hours" });
    // The preset is checked against the record at once: a broken database is refused there too.
    db.exec("DROP TABLE councils");
    expect(insights.prepare({ preset: "quick" })).toMatchObject({ kind: "refused", message: expect.stringContaining("COUNCIL_DB=data/council.db") });
  });
});
