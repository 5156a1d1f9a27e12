import { fitBradleyTerry } from "./bradley-terry.js";
import { quantile } from "./quantile.js";
import { createSeededRandom } from "./seeded-random.js";

// Every council is a small tournament: each reviewer ranks the others' anonymised answers, and
// each ballot says, for every pair it ranks, whose answer was better. The tally counts those
// preferences per model and rates the models with a Bradley–Terry fit, with a bootstrap
// interval and the number of comparisons behind each rating.
//
// The bootstrap resamples councils, not preferences: the six pairs of one ballot, and the
// ballots of one council on the same answers, are not independent. Resampling 100,000 councils
// 200 times would be slow, so the N councils are added round-robin into at most B (`blocks`)
// win matrices (council n into block n mod B) and the B blocks are resampled instead. A block is
// the sum of ~N/B independent, identically distributed councils (round-robin mixes every period
// into every block), so a resampled sum of B blocks has variance B · (N/B) · var(council) =
// N · var(council), the same as a resampled sum of N councils; the fit is a smooth function of
// that sum. Up to B councils, each block is one council and this is the plain bootstrap over
// councils. Memory is one K × K matrix per block (K models), whatever the number of preferences.
// Like any bootstrap, it needs a few dozen councils to mean much: from a single council every
// replicate is that council, and the interval shrinks to the point.

export interface ModelRating {
  model: string;
  /** Elo-like scale: 1000 + 400·log10(strength / geometric mean of the rated models' strengths); null when the model has no comparisons. */
  rating: number | null;
  /** 95% bootstrap percentile interval on the same scale; null when no comparisons. */
  interval: [number, number] | null;
  /** Pairwise comparisons this model took part in (a tie counts as one). */
  comparisons: number;
  /** Wins (a tie counts half). */
  wins: number;
}

export interface RateOptions {
  /** Bootstrap replicates (default 200). */
  replicates?: number;
  /** Seed of the resampling (default fixed, so the same data always gives the same interval). */
  seed?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

export interface PreferenceTally {
  /** Starts the next council: the bootstrap resamples whole councils, since one council's preferences are not independent. */
  council(): void;
  /** The reviewer preferred winner's answer over loser's. tie=true: neither (half a win each). Same-model pairs are ignored. */
  prefer(winner: string, loser: string, tie?: boolean): void;
  /** Also lists a model that took part but was never compared, so it appears with rating null. */
  seen(model: string): void;
  /** Sorted best first, unrated last. */
  rate(options?: RateOptions): ModelRating[];
}

export interface PreferenceTallyOptions {
  /** Most win matrices kept for the bootstrap (see above); default 1000. */
  blocks?: number;
}

const DEFAULT_BLOCKS = 1000;
const DEFAULT_REPLICATES = 200;
// Any fixed value: what matters is that the same data always gives the same interval.
const DEFAULT_SEED = 20_040_101;
const DEFAULT_LEVEL = 0.95;

export function createPreferenceTally(options: PreferenceTallyOptions = {}): PreferenceTally {
  const blockLimit = options.blocks ?? DEFAULT_BLOCKS;
  if (!Number.isInteger(blockLimit) || blockLimit < 1) throw new RangeError(`blocks must be an integer ≥ 1, got ${blockLimit}`);
  const indexOf = new Map<string, number>();
  const models: string[] = [];
  // Rows of `capacity` entries, so a new model grows the matrices only when capacity doubles.
  let capacity = 8;
  const blocks: Float64Array[] = [];
  /** Councils with at least one preference, the open one included. */
  let councils = 0;
  let councilOpen = false;
  let current: Float64Array | null = null;

  function modelIndex(model: string): number {
    let index = indexOf.get(model);
    if (index === undefined) {
      index = models.length;
      models.push(model);
      indexOf.set(model, index);
      if (index >= capacity) grow();
    }
    return index;
  }

  function grow(): void {
    const old = capacity;
    capacity *= 2;
    blocks.forEach((block, index) => {
      const wider = new Float64Array(capacity * capacity);
      for (let row = 0; row < old; row++) wider.set(block.subarray(row * old, (row + 1) * old), row * capacity);
      blocks[index] = wider;
    });
    current = null;
  }

  function currentBlock(): Float64Array {
    if (!councilOpen) {
      councilOpen = true;
      councils += 1;
    }
    const index = (councils - 1) % blockLimit;
    let block = blocks[index];
    if (!block) {
      block = new Float64Array(capacity * capacity);
      blocks[index] = block;
    }
    return block;
  }

  return {
    council() {
      councilOpen = false;
      current = null;
    },

    prefer(winner, loser, tie = false) {
      if (winner === loser) return;
      const won = modelIndex(winner);
      const lost = modelIndex(loser);
      const block = (current ??= currentBlock());
      if (tie) {
        block[won * capacity + lost] = (block[won * capacity + lost] as number) + 0.5;
        block[lost * capacity + won] = (block[lost * capacity + won] as number) + 0.5;
      } else {
        block[won * capacity + lost] = (block[won * capacity + lost] as number) + 1;
      }
    },

    seen(model) {
      modelIndex(model);
    },

    rate(rateOptions = {}) {
      const { replicates = DEFAULT_REPLICATES, seed = DEFAULT_SEED, level = DEFAULT_LEVEL } = rateOptions;
      if (!Number.isInteger(replicates) || replicates < 1) throw new RangeError(`replicates must be an integer ≥ 1, got ${replicates}`);
      if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1 (0.95 for a 95% interval), got ${level}`);
      const random = createSeededRandom(seed);

      const size = models.length;
      const total = new Float64Array(size * size);
      const everyone = identity(size);
      for (const block of blocks) addInto(total, block, capacity, everyone);
      const comparisons = new Float64Array(size);
      const wins = new Float64Array(size);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          wins[i] = (wins[i] as number) + (total[i * size + j] as number);
          comparisons[i] = (comparisons[i] as number) + (total[i * size + j] as number) + (total[j * size + i] as number);
        }
      }
      const rated = everyone.filter((index) => (comparisons[index] as number) > 0);
      const ratings = rated.length > 0 ? rateWithInterval(total, size, rated, blocks, capacity, { replicates, level, random }) : new Map<number, Rated>();

      const rows: ModelRating[] = models.map((model, index) => ({
        model,
        rating: ratings.get(index)?.rating ?? null,
        interval: ratings.get(index)?.interval ?? null,
        comparisons: comparisons[index] as number,
        wins: wins[index] as number,
      }));
      return rows.sort((a, b) => {
        if (a.rating !== b.rating) {
          if (a.rating === null) return 1;
          if (b.rating === null) return -1;
          return b.rating - a.rating;
        }
        return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
      });
    },
  };
}

interface Rated {
  rating: number;
  interval: [number, number];
}

/** Fits the rated models on the total, then on `replicates` resamplings of the blocks (each a matrix with rows of `stride`). */
function rateWithInterval(
  total: Float64Array,
  size: number,
  rated: readonly number[],
  blocks: readonly Float64Array[],
  stride: number,
  options: { replicates: number; level: number; random: () => number },
): Map<number, Rated> {
  const { replicates, level, random } = options;
  const count = rated.length;
  const cells = count * count;
  const point = fitBradleyTerry(project(total, size, rated), count);
  // The blocks reduced to the rated models, side by side.
  const compact = new Float64Array(blocks.length * cells);
  blocks.forEach((block, index) => addInto(compact.subarray(index * cells), block, stride, rated));
  const samples = new Float64Array(count * replicates);
  const resampled = new Float64Array(cells);
  for (let replicate = 0; replicate < replicates; replicate++) {
    resampled.fill(0);
    for (let draw = 0; draw < blocks.length; draw++) {
      const offset = Math.floor(random() * blocks.length) * cells;
      for (let cell = 0; cell < cells; cell++) resampled[cell] = (resampled[cell] as number) + (compact[offset + cell] as number);
    }
    // Starting at the point estimate, a replicate converges in a few sweeps.
    const fit = fitBradleyTerry(resampled, count, { start: point.logStrengths });
    for (let a = 0; a < count; a++) samples[a * replicates + replicate] = elo(fit.logStrengths[a] as number);
  }
  const tail = (1 - level) / 2;
  return new Map(
    rated.map((index, a) => {
      const sorted = samples.subarray(a * replicates, (a + 1) * replicates).sort();
      return [index, { rating: elo(point.logStrengths[a] as number), interval: [quantile(sorted, tail), quantile(sorted, 1 - tail)] }];
    }),
  );
}

/** 1000 + 400·log10(strength) for a natural-log strength centred on the geometric mean. */
function elo(logStrength: number): number {
  return 1000 + (400 * logStrength) / Math.LN10;
}

function identity(size: number): number[] {
  return Array.from({ length: size }, (_, index) => index);
}

/** Adds the rows and columns `picked` of a square matrix with rows of `stride` into a dense picked × picked matrix. */
function addInto(target: Float64Array, source: Float64Array, stride: number, picked: readonly number[]): void {
  const count = picked.length;
  for (let a = 0; a < count; a++) {
    const row = (picked[a] as number) * stride;
    for (let b = 0; b < count; b++) target[a * count + b] = (target[a * count + b] as number) + (source[row + (picked[b] as number)] as number);
  }
}

function project(matrix: Float64Array, size: number, picked: readonly number[]): Float64Array {
  const projected = new Float64Array(picked.length * picked.length);
  addInto(projected, matrix, size, picked);
  return projected;
}
