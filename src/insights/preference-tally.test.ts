import { describe, expect, it } from "vitest";
import { createPreferenceTally, type ModelRating, type PreferenceTally } from "./preference-tally.js";
import { createSeededRandom } from "./seeded-random.js";

/** True ratings on the tally's scale; they average 1000, so they are already relative to the geometric mean. */
const TRUE_RATINGS: Record<string, number> = { alpha: 1200, bravo: 1100, charlie: 1000, delta: 950, echo: 750 };
const strength = (rating: number) => 10 ** (rating / 400);

/**
 * Plackett–Luce ballots, whose pairwise margins are Bradley–Terry's: the reviewer picks its
 * best answer with probability proportional to strength, then the best of the rest, and so on.
 */
function rankByStrength(candidates: readonly string[], ratings: Record<string, number>, random: () => number): string[] {
  const rest = [...candidates];
  const ranking: string[] = [];
  while (rest.length > 0) {
    const total = rest.reduce((sum, model) => sum + strength(ratings[model]!), 0);
    let left = random() * total;
    let pick = rest.findIndex((model) => (left -= strength(ratings[model]!)) < 0);
    if (pick < 0) pick = rest.length - 1;
    ranking.push(...rest.splice(pick, 1));
  }
  return ranking;
}

function preferInOrder(tally: PreferenceTally, ranking: readonly string[]): void {
  for (let a = 0; a < ranking.length; a++) for (let b = a + 1; b < ranking.length; b++) tally.prefer(ranking[a]!, ranking[b]!);
}

/** Councils of every model in `ratings`; each member ranks the others' answers. */
function simulate(tally: PreferenceTally, councils: number, seed: number, ratings: Record<string, number> = TRUE_RATINGS): PreferenceTally {
  const random = createSeededRandom(seed);
  const members = Object.keys(ratings);
  for (let council = 0; council < councils; council++) {
    tally.council();
    for (const reviewer of members) preferInOrder(tally, rankByStrength(members.filter((model) => model !== reviewer), ratings, random));
  }
  return tally;
}

const byModel = (ratings: ModelRating[]) => Object.fromEntries(ratings.map((row) => [row.model, row]));
const width = (row: ModelRating | undefined) => row!.interval![1] - row!.interval![0];

describe("createPreferenceTally", () => {
  it("recovers known strengths from simulated ballots: exact order, close values, true values inside the intervals", () => {
    const ratings = simulate(createPreferenceTally(), 2000, 1).rate();
    expect(ratings.map((row) => row.model)).toEqual(["alpha", "bravo", "charlie", "delta", "echo"]);
    for (const row of ratings) {
      const truth = TRUE_RATINGS[row.model]!;
      expect(Math.abs(row.rating! - truth)).toBeLessThan(15);
      expect(row.interval![0]).toBeLessThan(truth);
      expect(row.interval![1]).toBeGreaterThan(truth);
      // Each model is ranked by 4 reviewers, each ballot pairing it with 3 others.
      expect(row.comparisons).toBe(2000 * 12);
    }
    expect(ratings.reduce((sum, row) => sum + row.wins, 0)).toBe(2000 * 30);
  });

  it("gives 95% intervals that cover the true ratings about 95% of the time", () => {
    let covered = 0;
    let intervals = 0;
    for (let run = 0; run < 40; run++) {
      for (const row of simulate(createPreferenceTally(), 100, 1000 + run).rate()) {
        const truth = TRUE_RATINGS[row.model]!;
        intervals += 1;
        if (row.interval![0] <= truth && truth <= row.interval![1]) covered += 1;
      }
    }
    // 200 intervals; 190 expected. An interval that ignored the councils' internal correlation,
    // or resampled preferences one by one, would cover far fewer.
    expect(covered / intervals).toBeGreaterThan(0.88);
    expect(covered / intervals).toBeLessThan(0.995);
  });

  it("widens the interval for councils whose ballots agree, since the bootstrap resamples councils", () => {
    // Same number of ballots: 400 councils in which one ballot is cast 5 times, or 2000
    // councils of one ballot each. Copies carry no new information, so the first interval
    // must be √5 ≈ 2.24 times wider; resampling preferences would make them alike.
    const random = createSeededRandom(5);
    const models = Object.keys(TRUE_RATINGS);
    const copied = createPreferenceTally();
    for (let council = 0; council < 400; council++) {
      copied.council();
      const ranking = rankByStrength(models, TRUE_RATINGS, random);
      for (let copy = 0; copy < 5; copy++) preferInOrder(copied, ranking);
    }
    const single = createPreferenceTally();
    for (let council = 0; council < 2000; council++) {
      single.council();
      preferInOrder(single, rankByStrength(models, TRUE_RATINGS, random));
    }
    const copiedRows = byModel(copied.rate({ replicates: 1000 }));
    const singleRows = byModel(single.rate({ replicates: 1000 }));
    for (const model of models) {
      const ratio = width(copiedRows[model]) / width(singleRows[model]);
      expect(ratio).toBeGreaterThan(1.7);
      expect(ratio).toBeLessThan(2.9);
    }
  });

  it("gives the same interval width whether councils are resampled one by one or in blocks", () => {
    const everyCouncil = byModel(simulate(createPreferenceTally({ blocks: 3000 }), 3000, 11).rate({ replicates: 1000 }));
    const inBlocks = byModel(simulate(createPreferenceTally({ blocks: 100 }), 3000, 11).rate({ replicates: 1000 }));
    for (const model of Object.keys(TRUE_RATINGS)) {
      // The same councils, so the same point estimate.
      expect(inBlocks[model]!.rating).toBeCloseTo(everyCouncil[model]!.rating!, 6);
      const ratio = width(inBlocks[model]) / width(everyCouncil[model]);
      expect(ratio).toBeGreaterThan(0.75);
      expect(ratio).toBeLessThan(1.33);
    }
  });

  it("narrows the interval as councils accumulate", () => {
    const few = byModel(simulate(createPreferenceTally(), 40, 3).rate());
    const many = byModel(simulate(createPreferenceTally(), 4000, 3).rate());
    // 100 times the councils: about a tenth of the width.
    for (const model of Object.keys(TRUE_RATINGS)) expect(width(many[model])).toBeLessThan(width(few[model]) / 5);
  });

  it("gives the same interval for the same data and seed, and another for another seed", () => {
    const tally = simulate(createPreferenceTally(), 50, 4);
    const first = tally.rate();
    expect(tally.rate()).toEqual(first);
    expect(simulate(createPreferenceTally(), 50, 4).rate()).toEqual(first);
    expect(tally.rate({ seed: 4 })).toEqual(tally.rate({ seed: 4 }));
    expect(tally.rate({ seed: 4 }).map((row) => row.interval)).not.toEqual(first.map((row) => row.interval));
  });

  it("gives a narrower interval, inside the 95% one, at a lower level", () => {
    const tally = simulate(createPreferenceTally(), 200, 6);
    const wide = byModel(tally.rate());
    for (const row of tally.rate({ level: 0.5 })) {
      const outer = wide[row.model]!.interval!;
      expect(row.interval![0]).toBeGreaterThan(outer[0]);
      expect(row.interval![1]).toBeLessThan(outer[1]);
      expect(width(row)).toBeLessThan(width(wide[row.model]) / 2);
    }
  });

  it("ignores a council() with no preference after it, so an empty council does not dilute the bootstrap", () => {
    const random = createSeededRandom(8);
    const plain = createPreferenceTally();
    const withEmpty = createPreferenceTally();
    for (let council = 0; council < 30; council++) {
      const ranking = rankByStrength(Object.keys(TRUE_RATINGS), TRUE_RATINGS, random);
      plain.council();
      preferInOrder(plain, ranking);
      withEmpty.council();
      withEmpty.council();
      withEmpty.prefer("alpha", "alpha");
      withEmpty.council();
      preferInOrder(withEmpty, ranking);
    }
    expect(withEmpty.rate()).toEqual(plain.rate());
  });

  it("counts a tie as one comparison and half a win to each side", () => {
    const tally = createPreferenceTally();
    tally.council();
    tally.prefer("alpha", "bravo", true);
    tally.prefer("bravo", "alpha", true);
    tally.prefer("alpha", "bravo");
    const rows = byModel(tally.rate());
    expect(rows.alpha).toMatchObject({ comparisons: 3, wins: 2 });
    expect(rows.bravo).toMatchObject({ comparisons: 3, wins: 1 });
    // Two players: odds (2 + ½) : (1 + ½), split evenly around 1000.
    const half = 200 * Math.log10(2.5 / 1.5);
    expect(rows.alpha!.rating).toBeCloseTo(1000 + half, 6);
    expect(rows.bravo!.rating).toBeCloseTo(1000 - half, 6);
  });

  it("rates models that only tie level, at 1000", () => {
    const tally = createPreferenceTally();
    for (let council = 0; council < 5; council++) {
      tally.council();
      tally.prefer("alpha", "bravo", true);
    }
    for (const row of tally.rate()) expect(row).toMatchObject({ rating: 1000, interval: [1000, 1000], comparisons: 5, wins: 2.5 });
  });

  it("keeps a model that never wins finite and last, its interval below everyone else's", () => {
    const random = createSeededRandom(9);
    const others = ["alpha", "bravo", "charlie", "delta"];
    const tally = createPreferenceTally();
    for (let council = 0; council < 300; council++) {
      tally.council();
      for (const reviewer of [...others, "zulu"]) {
        const ranked = rankByStrength(others.filter((model) => model !== reviewer), TRUE_RATINGS, random);
        preferInOrder(tally, [...ranked, "zulu"].filter((model) => model !== reviewer));
      }
    }
    const ratings = tally.rate();
    const zulu = ratings.at(-1)!;
    // Four reviewers rank zulu, each against three others.
    expect(zulu).toMatchObject({ model: "zulu", wins: 0, comparisons: 300 * 12 });
    expect(Number.isFinite(zulu.rating)).toBe(true);
    expect(zulu.interval!.every(Number.isFinite)).toBe(true);
    for (const row of ratings.slice(0, -1)) expect(zulu.interval![1]).toBeLessThan(row.interval![0]);
  });

  it("lists a model seen but never compared last, without a rating", () => {
    const tally = simulate(createPreferenceTally(), 20, 10);
    tally.seen("idle");
    tally.seen("alpha");
    const ratings = tally.rate();
    expect(ratings).toHaveLength(6);
    expect(ratings.at(-1)).toEqual({ model: "idle", rating: null, interval: null, comparisons: 0, wins: 0 });
    expect(ratings.slice(0, -1).every((row) => row.rating !== null)).toBe(true);
  });

  it("rates no one when a single model took part, and lists nothing for an empty tally", () => {
    const solo = createPreferenceTally();
    solo.council();
    solo.seen("alpha");
    solo.prefer("alpha", "alpha");
    expect(solo.rate()).toEqual([{ model: "alpha", rating: null, interval: null, comparisons: 0, wins: 0 }]);
    expect(createPreferenceTally().rate()).toEqual([]);
  });

  it("keeps every count when more models arrive than its matrices were first sized for", () => {
    const tally = createPreferenceTally();
    tally.council();
    tally.prefer("m0", "m1");
    tally.prefer("m1", "m2", true);
    for (let model = 3; model < 20; model++) {
      tally.council();
      tally.prefer(`m${model}`, "m0");
    }
    const rows = byModel(tally.rate());
    expect(rows.m0).toMatchObject({ comparisons: 18, wins: 1 });
    expect(rows.m1).toMatchObject({ comparisons: 2, wins: 0.5 });
    expect(rows.m2).toMatchObject({ comparisons: 1, wins: 0.5 });
    expect(rows.m19).toMatchObject({ comparisons: 1, wins: 1 });
  });

  it("refuses options that make no interval", () => {
    const tally = simulate(createPreferenceTally(), 5, 12);
    expect(() => tally.rate({ replicates: 0 })).toThrow(/replicates must be an integer ≥ 1, got 0/);
    expect(() => tally.rate({ level: 95 })).toThrow(/level must be between 0 and 1 \(0.95 for a 95% interval\), got 95/);
    expect(() => tally.rate({ seed: 1.5 })).toThrow(/seed must be an integer, got 1.5/);
    expect(() => createPreferenceTally({ blocks: 0 })).toThrow(/blocks must be an integer ≥ 1, got 0/);
  });
});
