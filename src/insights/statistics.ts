import type { StageName } from "../council/usage.js";
import type { RecordStatus } from "../store/council-record.js";
import type { SummarySink } from "../store/summary-codec.js";
import type { StatisticsSource } from "../store/statistics-source.js";
import { describePeriod, type Period, periodStart } from "./period.js";
import { createPreferenceTally, type ModelRating, type PreferenceTally } from "./preference-tally.js";
import { createSamples, type Samples, spread } from "./quantile.js";

// The figures of a period (and, optionally, one preset) from the store: what ran and how it
// ended, where the time and the tokens went, and which models the councils themselves rate
// best. Platform-free: the commands render it as text and charts. No question, answer or
// critique is read, so the figures can be shown to anyone.

export interface ReferencePrice {
  name: string;
  promptPerMillion: number;
  completionPerMillion: number;
  currency: string;
}

export interface StatisticsRequest {
  period: Period;
  preset?: string;
  now: number;
  /** From the presets file; without it no cost estimate is made. */
  referencePrice?: ReferencePrice;
}

export interface StageStatistics {
  stage: StageName;
  /** Councils that ran the stage. */
  councils: number;
  medianMs: number;
  p90Ms: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ModelStatistics {
  model: string;
  calls: number;
  /** Answered stage-1 calls. */
  answers: number;
  /** Failed calls by the failure's kind, and ballots the model gave up on ("abstained"). */
  failures: Record<string, number>;
  /** Answer and debate calls, answered: wall time and time to the first token. */
  medianLatencyMs: number | null;
  p90LatencyMs: number | null;
  medianFirstTokenMs: number | null;
  promptTokens: number;
  completionTokens: number;
  /** Completion tokens over Ollama's generation time. */
  tokensPerSecond: number | null;
  /** Mean completion tokens of an answer: how much the model writes. */
  meanAnswerTokens: number | null;
  /** Councils whose final order put this model first. */
  rankedFirst: number;
  /** The 1-10 scores peers of other models gave it, averaged. */
  meanPeerScore: number | null;
  /** How often its ballots ordered a pair as the council finally did, on average. */
  agreement: number | null;
  rating: ModelRating;
}

export interface CostEstimate extends ReferencePrice {
  promptTokens: number;
  completionTokens: number;
  /** In `currency`. */
  cost: number;
}

export interface Statistics {
  period: Period;
  /** "the last 7 days". */
  periodText: string;
  preset?: string;
  since?: number;
  until: number;
  councils: {
    total: number;
    byStatus: Partial<Record<RecordStatus, number>>;
    byPlatform: Record<string, number>;
  };
  stages: StageStatistics[];
  consensus: {
    /** Councils with a measured consensus. */
    councils: number;
    mean: number | null;
    /** Councils by consensus in fifths: [0, 0.2), [0.2, 0.4), …, [0.8, 1]. */
    histogram: number[];
  };
  tokens: { calls: number; promptTokens: number; completionTokens: number };
  /** Best rated first, then the unrated by answers. */
  models: ModelStatistics[];
  cost?: CostEstimate;
}

const STAGES: readonly StageName[] = ["answers", "debate", "review", "synthesis"];
const HISTOGRAM_BINS = 5;

export class UnknownPresetError extends Error {
  override readonly name = "UnknownPresetError";
  readonly kind = "unknown-preset";
}

/** Refuses a preset that is neither in the presets file nor in the record, naming the choices. */
export function checkPreset(preset: string, configured: readonly string[], source: StatisticsSource): void {
  const known = [...new Set([...configured, ...source.recordedPresets()])];
  if (!known.includes(preset)) throw new UnknownPresetError(`There is no preset "${preset}"; the presets are: ${known.join(", ")}.`);
}

export function computeStatistics(source: StatisticsSource, request: StatisticsRequest): Statistics {
  const since = periodStart(request.period, request.now);
  const filter = { ...(since !== undefined && { since }), ...(request.preset !== undefined && { preset: request.preset }) };

  const byStatus: Partial<Record<RecordStatus, number>> = {};
  const byPlatform: Record<string, number> = {};
  let total = 0;
  for (const { status, platform, councils } of source.statusCounts(filter)) {
    total += councils;
    byStatus[status] = (byStatus[status] ?? 0) + councils;
    byPlatform[platform] = (byPlatform[platform] ?? 0) + councils;
  }

  const stages = new Map<StageName, StageTally>();
  const stageOf = (stage: StageName) => {
    let entry = stages.get(stage);
    if (!entry) stages.set(stage, (entry = { times: createSamples(), promptTokens: 0, completionTokens: 0 }));
    return entry;
  };
  const models = new Map<string, ModelTally>();
  const modelOf = (model: string) => {
    let entry = models.get(model);
    if (!entry) models.set(model, (entry = newModelTally()));
    return entry;
  };
  const consensus: number[] = [];
  const tally = createPreferenceTally();
  const tokens = { calls: 0, promptTokens: 0, completionTokens: 0 };

  // A council's models as tallies, by model list: the lists recur, so each is mapped once.
  const tallied = new Map<readonly string[], ModelTally[]>();
  let names: readonly string[] = [];
  let named: ModelTally[] = [];
  const sink: SummarySink = {
    council(models) {
      let list = tallied.get(models);
      if (!list) tallied.set(models, (list = models.map(modelOf)));
      names = models;
      named = list;
    },
    stage: (stage, ms) => void stageOf(stage).times.push(ms),
    call(model, stage, failure, promptTokens, completionTokens, evalMs, wallMs, firstTokenMs) {
      const entry = named[model] as ModelTally;
      const stageTotal = stageOf(stage);
      stageTotal.promptTokens += promptTokens;
      stageTotal.completionTokens += completionTokens;
      tokens.calls += 1;
      tokens.promptTokens += promptTokens;
      tokens.completionTokens += completionTokens;
      entry.calls += 1;
      entry.promptTokens += promptTokens;
      entry.completionTokens += completionTokens;
      entry.evalMs += evalMs;
      if (failure !== null) {
        entry.failures[failure] = (entry.failures[failure] ?? 0) + 1;
        return;
      }
      if (stage === "answers") {
        entry.answers += 1;
        entry.answerTokens += completionTokens;
      }
      if (stage === "answers" || stage === "debate") {
        entry.latencies.push(wallMs);
        if (firstTokenMs !== null) entry.firstTokens.push(firstTokenMs);
      }
    },
    review(placed, agreed) {
      tally.council();
      if (agreed !== null) consensus.push(agreed);
      const first = placed[0];
      if (first !== undefined) (named[first] as ModelTally).rankedFirst += 1;
    },
    ballot: (by, order, scores, agreement) => countBallot(by, order, scores, agreement, names, named, tally),
  };
  source.readSummaries(filter, sink);
  for (const model of models.keys()) tally.seen(model);

  const ratings = new Map(tally.rate().map((rating) => [rating.model, rating]));
  const perModel = [...models].map(([model, entry]) => modelStatistics(model, entry, ratings.get(model)));
  perModel.sort((a, b) => byRating(a, b) || b.answers - a.answers || a.model.localeCompare(b.model));
  return {
    period: request.period,
    periodText: describePeriod(request.period),
    ...(request.preset !== undefined && { preset: request.preset }),
    ...(since !== undefined && { since }),
    until: request.now,
    councils: { total, byStatus, byPlatform },
    stages: STAGES.flatMap((stage) => {
      const entry = stages.get(stage);
      const measured = entry && spread(entry.times.values());
      if (!entry || !measured) return [];
      return [{ stage, councils: entry.times.length, medianMs: measured.median, p90Ms: measured.p90, promptTokens: entry.promptTokens, completionTokens: entry.completionTokens }];
    }),
    consensus: {
      councils: consensus.length,
      mean: consensus.length === 0 ? null : consensus.reduce((sum, value) => sum + value, 0) / consensus.length,
      histogram: histogram(consensus),
    },
    tokens,
    models: perModel,
    ...(request.referencePrice && { cost: costOf(tokens, request.referencePrice) }),
  };
}

interface StageTally {
  times: Samples;
  promptTokens: number;
  completionTokens: number;
}

interface ModelTally {
  calls: number;
  answers: number;
  answerTokens: number;
  failures: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  evalMs: number;
  latencies: Samples;
  firstTokens: Samples;
  rankedFirst: number;
  scores: number;
  scoreSum: number;
  agreements: number;
  agreementSum: number;
}

function newModelTally(): ModelTally {
  return {
    calls: 0, answers: 0, answerTokens: 0, failures: {}, promptTokens: 0, completionTokens: 0, evalMs: 0,
    latencies: createSamples(), firstTokens: createSamples(), rankedFirst: 0, scores: 0, scoreSum: 0, agreements: 0, agreementSum: 0,
  };
}

/**
 * A ballot's preferences between models: every pair it ordered, except where the reviewer's own
 * model is one side (a model seated twice would otherwise judge itself, the bias councils avoid
 * by never showing a reviewer its own answer). Two answers given the same score are a tie:
 * the reviewer said they were as good, whatever order the ranking format forced on them.
 */
function countBallot(
  by: number,
  order: readonly number[] | null,
  scores: ReadonlyArray<number | null> | null,
  agreement: number | null,
  names: readonly string[],
  named: readonly ModelTally[],
  tally: PreferenceTally,
): void {
  const reviewer = named[by] as ModelTally;
  if (order === null) {
    reviewer.failures.abstained = (reviewer.failures.abstained ?? 0) + 1;
    return;
  }
  if (agreement !== null) {
    reviewer.agreements += 1;
    reviewer.agreementSum += agreement;
  }
  order.forEach((model, i) => {
    if (model === by) return;
    const score = scores?.[i] ?? null;
    if (score !== null) {
      const reviewed = named[model] as ModelTally;
      reviewed.scores += 1;
      reviewed.scoreSum += score;
    }
    for (let j = i + 1; j < order.length; j++) {
      const below = order[j] as number;
      if (below === by || below === model) continue;
      tally.prefer(names[model] as string, names[below] as string, score !== null && score === scores?.[j]);
    }
  });
}

function modelStatistics(model: string, entry: ModelTally, rating: ModelRating | undefined): ModelStatistics {
  const latency = spread(entry.latencies.values());
  const firstToken = spread(entry.firstTokens.values());
  return {
    model,
    calls: entry.calls,
    answers: entry.answers,
    failures: entry.failures,
    medianLatencyMs: latency?.median ?? null,
    p90LatencyMs: latency?.p90 ?? null,
    medianFirstTokenMs: firstToken?.median ?? null,
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
    tokensPerSecond: entry.evalMs > 0 ? (entry.completionTokens / entry.evalMs) * 1000 : null,
    meanAnswerTokens: entry.answers > 0 ? entry.answerTokens / entry.answers : null,
    rankedFirst: entry.rankedFirst,
    meanPeerScore: entry.scores > 0 ? entry.scoreSum / entry.scores : null,
    agreement: entry.agreements > 0 ? entry.agreementSum / entry.agreements : null,
    rating: rating ?? { model, rating: null, interval: null, comparisons: 0, wins: 0 },
  };
}

/** Best rated first; ratings a rounding error apart (two models with the same record) count as equal. */
function byRating(a: ModelStatistics, b: ModelStatistics): number {
  const difference = (b.rating.rating ?? Number.NEGATIVE_INFINITY) - (a.rating.rating ?? Number.NEGATIVE_INFINITY);
  return Math.abs(difference) < 1e-6 ? 0 : difference;
}

function histogram(values: readonly number[]): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const value of values) {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(value * HISTOGRAM_BINS)));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return bins;
}

function costOf(tokens: { promptTokens: number; completionTokens: number }, price: ReferencePrice): CostEstimate {
  return {
    ...price,
    promptTokens: tokens.promptTokens,
    completionTokens: tokens.completionTokens,
    cost: (tokens.promptTokens * price.promptPerMillion + tokens.completionTokens * price.completionPerMillion) / 1_000_000,
  };
}
