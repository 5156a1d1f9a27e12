import { ChartInputError, requireFinite } from "./chart-input-error.js";

// The radar's five axes from raw figures, each on 0..1 where 1 is the outer edge. A radar only
// compares shapes if every axis means "more" the same way, so each is scaled by what its
// figure is:
// - rating: the expected score against the best-rated model, doubled (Elo's logistic curve,
//   400 points = 10:1 odds): the best model is 1, one 200 points behind 0.48, 400 behind 0.18.
//   Min-max would put the worst model at the centre even when it is close to the best.
// - speed and verbosity: a share of the largest among the models (tokens per second; completion
//   tokens per answer), since both are ratios with a true zero.
// - reliability and agreement are already shares (of calls that succeeded; of the council's
//   preferences the model's ballots share) and stay as they are, so 90% reads as 90%.
// A missing figure (no rating, no timed call) is drawn at 0 and labelled "–".

export interface ModelProfileRow {
  model: string;
  /** Elo-like rating, as the leaderboard's; null without comparisons. */
  rating: number | null;
  /** Completion tokens per second of generation. */
  tokensPerSecond: number | null;
  /** Share of the model's calls that succeeded, 0..1. */
  reliability: number | null;
  /** Share of the council's aggregate preferences that the model's ballots agree with, 0..1. */
  agreement: number | null;
  /** Mean completion tokens per answer. */
  completionTokensPerAnswer: number | null;
}

export const RADAR_AXES = ["rating", "speed", "reliability", "agreement", "verbosity"] as const;

/** One row per model, the axes in RADAR_AXES's order. */
export function scaleProfiles(rows: readonly ModelProfileRow[]): number[][] {
  rows.forEach(check);
  const best = (pick: (row: ModelProfileRow) => number | null) => Math.max(0, ...rows.map((row) => pick(row) ?? 0));
  const bestRating = Math.max(...rows.map((row) => row.rating ?? -Infinity));
  const fastest = best((row) => row.tokensPerSecond);
  const wordiest = best((row) => row.completionTokensPerAnswer);
  const share = (value: number | null, of: number) => (value === null || of === 0 ? 0 : value / of);
  return rows.map((row) => [
    row.rating === null ? 0 : 2 / (1 + 10 ** ((bestRating - row.rating) / 400)),
    share(row.tokensPerSecond, fastest),
    row.reliability ?? 0,
    row.agreement ?? 0,
    share(row.completionTokensPerAnswer, wordiest),
  ]);
}

function check(row: ModelProfileRow): void {
  for (const field of ["rating", "tokensPerSecond", "reliability", "agreement", "completionTokensPerAnswer"] as const) {
    const value = row[field];
    if (value === null) continue;
    requireFinite(value, `radar row ${row.model}: ${field}`);
    if (field !== "rating" && value < 0) throw new ChartInputError(`radar row ${row.model}: ${field} is ${value}; pass a figure of 0 or more`);
  }
  for (const field of ["reliability", "agreement"] as const) {
    const value = row[field];
    if (value !== null && value > 1) throw new ChartInputError(`radar row ${row.model}: ${field} is ${value}; pass a share between 0 and 1`);
  }
}
