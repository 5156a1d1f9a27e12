// The periods statistics are asked for, as the commands offer them.

export const PERIODS = ["24h", "7d", "30d", "all"] as const;
export type Period = (typeof PERIODS)[number];

const SPANS_MS: Record<Period, number | undefined> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
  "30d": 30 * 24 * 3_600_000,
  all: undefined,
};

const WORDS: Record<Period, string> = { "24h": "the last 24 hours", "7d": "the last 7 days", "30d": "the last 30 days", all: "all time" };

export class UnknownPeriodError extends Error {
  override readonly name = "UnknownPeriodError";
  readonly kind = "unknown-period";
}

export function parsePeriod(text: string): Period {
  const period = PERIODS.find((choice) => choice === text.trim().toLowerCase());
  if (!period) throw new UnknownPeriodError(`"${text}" is not a period the statistics know; use one of: ${PERIODS.join(", ")}.`);
  return period;
}

/** The start of the period ending `now`; undefined for all time. */
export function periodStart(period: Period, now: number): number | undefined {
  const span = SPANS_MS[period];
  return span === undefined ? undefined : now - span;
}

/** "the last 7 days", for titles and messages. */
export function describePeriod(period: Period): string {
  return WORDS[period];
}
