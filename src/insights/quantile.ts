/** Linear interpolation between order statistics (R's type 7) of samples sorted ascending; NaN when there are none. */
export function quantile(sorted: ArrayLike<number>, probability: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (position - below) * (upper - lower);
}

/**
 * Times in milliseconds gathered one at a time, in a typed array that doubles when full: a
 * year's call times without a copy per figure. Single precision, half the memory of a million
 * doubles, is exact for whole milliseconds up to four and a half hours.
 */
export interface Samples {
  push(value: number): void;
  readonly length: number;
  /** The samples so far, in an order spread() may change. */
  values(): Float32Array;
}

export function createSamples(): Samples {
  let store = new Float32Array(64);
  let length = 0;
  return {
    push(value) {
      if (length === store.length) {
        const grown = new Float32Array(store.length * 2);
        grown.set(store);
        store = grown;
      }
      store[length++] = value;
    },
    get length() {
      return length;
    },
    values: () => store.subarray(0, length),
  };
}

/** The median and 90th percentile of unsorted samples, or null when there are none. Reorders a typed array it is given. */
export function spread(samples: readonly number[] | Float32Array): { median: number; p90: number } | null {
  if (samples.length === 0) return null;
  const values = samples instanceof Float32Array ? samples : Float64Array.from(samples);
  return { median: selectQuantile(values, 0.5), p90: selectQuantile(values, 0.9) };
}

/**
 * The same figure as quantile() on the sorted samples, found without sorting them (Hoare's
 * selection, linear on average): a year of councils has a million call times to place. Reorders
 * `values`.
 */
function selectQuantile(values: Float32Array | Float64Array, probability: number): number {
  const position = (values.length - 1) * probability;
  const below = Math.floor(position);
  const lower = select(values, below);
  if (below + 1 >= values.length || position === below) return lower;
  // Everything after `below` is now at least `lower`: the next order statistic is their least.
  let upper = Number.POSITIVE_INFINITY;
  for (let i = below + 1; i < values.length; i++) upper = Math.min(upper, values[i] as number);
  return lower + (position - below) * (upper - lower);
}

/** Puts the k-th smallest value at index k, smaller ones before it and larger ones after, and returns it. */
function select(values: Float32Array | Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}
