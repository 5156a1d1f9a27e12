import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeCouncil } from "../../test-support/recorded-councils.js";
import { A, B, C, COUNCILS, HOUR, NOW } from "../../test-support/statistics-fixture.js";
import { createCouncilStore } from "../store/council-store.js";
import { openDatabase } from "../store/open-database.js";
import { createStatisticsSource, type StatisticsSource } from "../store/statistics-source.js";
import { parsePeriod, UnknownPeriodError } from "./period.js";
import { checkPreset, computeStatistics, UnknownPresetError } from "./statistics.js";

let db: Database.Database;
let source: StatisticsSource;
beforeEach(() => {
  db = openDatabase(":memory:");
  let clock = 0;
  const store = createCouncilStore(db, () => clock);
  for (const council of COUNCILS) writeCouncil(store, (at) => (clock = at), council);
  source = createStatisticsSource(db);
});
afterEach(() => db.close());

describe("statistics of a period", () => {
  it("counts the councils by status and platform, and times and tokens each stage", () => {
    const week = computeStatistics(source, { period: "7d", now: NOW });
    expect(week.councils).toEqual({ total: 2, byStatus: { completed: 1, partial: 1 }, byPlatform: { discord: 1, slack: 1 } });
    expect(week.since).toBe(NOW - 7 * 24 * HOUR);
    expect(week.periodText).toBe("the last 7 days");
    expect(week.stages).toEqual([
      // answers: 3000 and 2000 ms; p90 interpolates 2000 + 0.9 × 1000.
      { stage: "answers", councils: 2, medianMs: 2500, p90Ms: 2900, promptTokens: 270, completionTokens: 580 },
      { stage: "review", councils: 2, medianMs: 1250, p90Ms: 1450, promptTokens: 1000, completionTokens: 250 },
      { stage: "synthesis", councils: 1, medianMs: 4000, p90Ms: 4000, promptTokens: 400, completionTokens: 300 },
    ]);
    expect(week.tokens).toEqual({ calls: 12, promptTokens: 1670, completionTokens: 1130 });
    expect(week.consensus).toEqual({ councils: 1, mean: 0.6, histogram: [0, 0, 0, 1, 0] });
    expect(week.cost).toBeUndefined();
  });

  it("gives each model its calls, failures, latencies, tokens, speed, places and peer scores", () => {
    const { models } = computeStatistics(source, { period: "7d", now: NOW });
    expect(models.map((model) => model.model)).toEqual([B, A, C, "chair:8b"]);
    const [b, a, c, chair] = models;
    expect(a).toMatchObject({
      calls: 4,
      answers: 2,
      failures: {},
      medianLatencyMs: 1500,
      p90LatencyMs: 1900,
      medianFirstTokenMs: 125,
      promptTokens: 510,
      completionTokens: 340,
      tokensPerSecond: 68,
      meanAnswerTokens: 120,
      rankedFirst: 0,
      meanPeerScore: 5.5,
      agreement: 1,
    });
    expect(b).toMatchObject({ calls: 4, answers: 2, failures: { abstained: 1 }, medianLatencyMs: 2000, p90LatencyMs: 2800, medianFirstTokenMs: 200, rankedFirst: 2, agreement: 1 });
    expect(b?.tokensPerSecond).toBeCloseTo(380 / 6, 10);
    expect(b?.meanPeerScore).toBeCloseTo(22 / 3, 10);
    expect(c).toMatchObject({ calls: 3, answers: 1, failures: { timeout: 1 }, medianLatencyMs: 2000, meanAnswerTokens: 60, meanPeerScore: 6.5, agreement: 1 });
    expect(chair).toMatchObject({ calls: 1, answers: 0, medianLatencyMs: null, tokensPerSecond: 100, rating: { rating: null, comparisons: 0 } });
  });

  it("rates the models from the ballots' pairs: a tie is half a win, a one-answer ballot compares nothing", () => {
    const { models } = computeStatistics(source, { period: "7d", now: NOW });
    const rating = (model: string) => models.find((entry) => entry.model === model)?.rating;
    // Ann put Bob over Cat; Bob scored Ann and Cat alike; Cat put Bob over Ann.
    expect(rating(B)).toMatchObject({ comparisons: 2, wins: 2 });
    expect(rating(A)).toMatchObject({ comparisons: 2, wins: 0.5 });
    expect(rating(C)).toMatchObject({ comparisons: 2, wins: 0.5 });
    expect(rating(B)?.rating).toBeGreaterThan(rating(A)?.rating ?? Number.POSITIVE_INFINITY);
    expect(rating(A)?.rating).toBeCloseTo(rating(C)?.rating ?? 0, 6);
  });

  it("takes a longer period and one preset, and estimates the cloud cost only when a price is set", () => {
    const month = computeStatistics(source, { period: "30d", now: NOW });
    expect(month.councils.total).toBe(3);
    expect(month.councils.byPlatform).toEqual({ discord: 1, slack: 1, console: 1 });
    const quick = computeStatistics(source, { period: "all", preset: "quick", now: NOW });
    expect(quick.councils).toEqual({ total: 1, byStatus: { failed: 1 }, byPlatform: { console: 1 } });
    expect(quick.preset).toBe("quick");
    expect(quick.models.map((model) => [model.model, model.failures])).toEqual([
      [A, { unreachable: 1 }],
      [B, { unreachable: 1 }],
    ]);
    const priced = computeStatistics(source, {
      period: "7d",
      now: NOW,
      referencePrice: { name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10, currency: "USD" },
    });
    expect(priced.cost).toEqual({ name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10, currency: "USD", promptTokens: 1670, completionTokens: 1130, cost: 0.015475 });
  });

  it("finds nothing in a period with no councils", () => {
    const empty = computeStatistics(source, { period: "24h", now: NOW + 30 * 24 * HOUR });
    expect(empty.councils.total).toBe(0);
    expect(empty.models).toEqual([]);
    expect(empty.stages).toEqual([]);
  });
});

describe("bad input", () => {
  it("refuses an unknown period with the choices", () => {
    expect(parsePeriod(" 7D ")).toBe("7d");
    expect(() => parsePeriod("week")).toThrow(UnknownPeriodError);
    expect(() => parsePeriod("week")).toThrow('"week" is not a period the statistics know; use one of: 24h, 7d, 30d, all.');
  });

  it("refuses a preset neither configured nor recorded, with the choices", () => {
    expect(() => checkPreset("quick", ["balanced"], source)).not.toThrow();
    expect(() => checkPreset("nope", ["balanced", "deep"], source)).toThrow(UnknownPresetError);
    expect(() => checkPreset("nope", ["balanced", "deep"], source)).toThrow('There is no preset "nope"; the presets are: balanced, deep, quick.');
  });
});
