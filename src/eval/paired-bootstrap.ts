import { quantile } from "../insights/quantile.js";
import { createSeededRandom } from "../insights/seeded-random.js";

export interface PairedDifference {
  /** Accuracy of A minus accuracy of B, over the same items. */
  difference: number;
  /** The 95% percentile interval of that difference over resamples of the items. */
  interval: [number, number];
}

/**
 * The paired bootstrap: items are resampled with replacement, each keeping both outcomes, so the
 * interval reflects that A and B answered the same questions (far narrower than two independent
 * intervals when they mostly agree). Seeded, so a report is the same on every run.
 */
export function pairedBootstrap(a: readonly boolean[], b: readonly boolean[], options: { resamples?: number; seed?: number } = {}): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`paired outcomes must be as many: ${a.length} against ${b.length}`);
  const n = a.length;
  if (n === 0) return { difference: 0, interval: [0, 0] };
  const differences = a.map((right, index) => Number(right) - Number(b[index]));
  const difference = differences.reduce((sum, value) => sum + value, 0) / n;
  const resamples = options.resamples ?? 2000;
  const random = createSeededRandom(options.seed ?? 1);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(random() * n)] as number;
    means[r] = sum / n;
  }
  means.sort();
  return { difference, interval: [quantile(means, 0.025), quantile(means, 0.975)] };
}
