/** Linear interpolation between order statistics (R's type 7) of samples sorted ascending; NaN when there are none. */
export function quantile(sorted: ArrayLike<number>, probability: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (position - below) * (upper - lower);
}

/** The median and 90th percentile of unsorted samples, or null when there are none. */
export function spread(samples: readonly number[]): { median: number; p90: number } | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  return { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}
