import { writeFile, mkdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { writeCouncil } from "../../test-support/recorded-councils.js";
import { COUNCILS, NOW } from "../../test-support/statistics-fixture.js";
import { createCouncilStore } from "../store/council-store.js";
import { openDatabase } from "../store/open-database.js";
import { createStatisticsSource } from "../store/statistics-source.js";
import { DASHBOARD_SIZE } from "./charts/index.js";
import { computeStatistics } from "./statistics.js";
import { dashboardInput, renderStatisticsDashboard, renderTimeline } from "./statistics-charts.js";
import { leaderboardTable, noCouncilsText, statisticsTitle, totalsLine } from "./statistics-text.js";

function statistics(period: "7d" | "24h" = "7d") {
  const db = openDatabase(":memory:");
  let clock = 0;
  const store = createCouncilStore(db, () => clock);
  for (const council of COUNCILS) writeCouncil(store, (at) => (clock = at), council);
  const result = computeStatistics(createStatisticsSource(db), {
    period,
    now: NOW,
    referencePrice: { name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10, currency: "USD" },
  });
  db.close();
  return result;
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("the statistics as charts and text", () => {
  it("maps every model to the dashboard's rows: rated ones with their interval, the chairman without a rating or latency", () => {
    const input = dashboardInput(statistics());
    expect(input.councils).toBe(2);
    expect(input.period).toBe("the last 7 days");
    expect(input.leaderboard.map((row) => [row.model, row.comparisons])).toEqual([
      ["b:1b", 2],
      ["a:1b", 2],
      ["c:1b", 2],
    ]);
    expect(input.latency.map((row) => [row.model, row.medianSeconds])).toEqual([
      ["b:1b", 2],
      ["a:1b", 1.5],
      ["c:1b", 2],
    ]);
    expect(input.stages).toEqual([
      { stage: "answers", medianSeconds: 2.5, p90Seconds: 2.9 },
      { stage: "review", medianSeconds: 1.25, p90Seconds: 1.45 },
      { stage: "synthesis", medianSeconds: 4, p90Seconds: 4 },
    ]);
    // c:1b: one timeout in three calls.
    expect(input.profiles.find((row) => row.model === "c:1b")?.reliability).toBeCloseTo(2 / 3, 10);
  });

  it("renders the dashboard as a PNG of its stated size, small enough for any chat", async () => {
    const png = await renderStatisticsDashboard(statistics());
    expect(pngSize(png)).toEqual(DASHBOARD_SIZE);
    expect(png.length).toBeLessThan(8 * 1024 * 1024);
    if (process.env.CHARTS_DIR) await mkdir(process.env.CHARTS_DIR, { recursive: true }).then(() => writeFile(`${process.env.CHARTS_DIR}/dashboard.png`, png));
  });

  it("renders a council's timeline from its view's calls, failed ones included", async () => {
    const png = await renderTimeline([
      { member: "Ann", model: "a:1b", stage: "answers", startMs: 0, firstTokenMs: 300, wallMs: 2000 },
      { member: "Bob", model: "b:1b", stage: "answers", startMs: 0, wallMs: 30_000, failure: { kind: "timeout", message: "timed out" } },
      { member: "Ann", model: "a:1b", stage: "review", startMs: 30_100, wallMs: 1500 },
      { model: "chair:8b", stage: "synthesis", startMs: 31_700, firstTokenMs: 900, wallMs: 5000 },
    ]);
    expect(pngSize(png).width).toBe(1200);
    if (process.env.CHARTS_DIR) await writeFile(`${process.env.CHARTS_DIR}/timeline.png`, png);
  });

  it("says the leaderboard and totals in lines, and says so when a period has no councils", () => {
    const week = statistics();
    expect(statisticsTitle(week)).toBe("council statistics · the last 7 days · all presets · 2 councils (1 completed, 1 partial)");
    const table = leaderboardTable(week);
    expect(table[0]).toMatch(/^#\s+model\s+rating\s+95% interval\s+pairs\s+1st\s+answers\s+median\s+tok\/s$/);
    expect(table[1]).toMatch(/^1\s+b:1b\s+\d+\s+\d+–\d+\s+2\s+2\s+2\s+2\.0 s\s+63$/);
    expect(table[4]).toMatch(/^–\s+chair:8b\s+–\s+–\s+0\s+0\s+0\s+–\s+100$/);
    expect(totalsLine(week)).toBe("1670 prompt and 1130 completion tokens in 12 model calls; on gpt-4o they would have cost about 0.02 USD.");
    const empty = statistics("24h");
    expect(empty.councils.total).toBe(1);
    expect(noCouncilsText({ ...empty, preset: "quick" })).toBe("No councils were recorded in the last 24 hours with the preset quick: ask one, or choose a longer period (all).");
  });
});
