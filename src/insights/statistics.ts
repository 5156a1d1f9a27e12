import type { StageName } from "../council/usage.js";
import type { RecordStatus } from "../store/council-record.js";
import type { PeerReview } from "../store/peer-review.js";
import type { StatisticsSource } from "../store/statistics-source.js";
import { describePeriod, type Period, periodStart } from "./period.js";
import { createPreferenceTally, type ModelRating } from "./preference-tally.js";
import { spread } from "./quantile.js";

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
  const stageTimes = new Map<StageName, number[]>();
  const consensus: number[] = [];
  const perModel = new Map<string, ReviewTally>();
  const tally = createPreferenceTally();
  const reviewOf = (model: string) => {
    let entry = perModel.get(model);
    if (!entry) perModel.set(model, (entry = { rankedFirst: 0, scores: 0, scoreSum: 0, agreements: 0, agreementSum: 0, abstained: 0 }));
    return entry;
  };
  let total = 0;
  for (const council of source.councils(filter)) {
    total += 1;
    byStatus[council.status] = (byStatus[council.status] ?? 0) + 1;
    byPlatform[council.platform] = (byPlatform[council.platform] ?? 0) + 1;
    if (council.latency !== null) {
      const byStage = (JSON.parse(council.latency) as { byStage?: Partial<Record<StageName, number>> }).byStage ?? {};
      for (const [stage, ms] of Object.entries(byStage) as Array<[StageName, number]>) {
        let times = stageTimes.get(stage);
        if (!times) stageTimes.set(stage, (times = []));
        times.push(ms);
      }
    }
    if (council.peerReview !== null) countPeerReview(JSON.parse(council.peerReview) as PeerReview, tally, reviewOf, consensus);
  }

  const groups = source.callGroups(filter);
  const times = source.answerTimes(filter);
  const stageTokens = new Map<string, { promptTokens: number; completionTokens: number }>();
  const modelCalls = new Map<string, CallTotals>();
  for (const group of groups) {
    const tokens = stageTokens.get(group.stage) ?? { promptTokens: 0, completionTokens: 0 };
    tokens.promptTokens += group.promptTokens;
    tokens.completionTokens += group.completionTokens;
    stageTokens.set(group.stage, tokens);
    const calls = modelCalls.get(group.model) ?? { calls: 0, answers: 0, answerTokens: 0, failures: {}, promptTokens: 0, completionTokens: 0, evalMs: 0 };
    calls.calls += group.calls;
    calls.promptTokens += group.promptTokens;
    calls.completionTokens += group.completionTokens;
    calls.evalMs += group.evalMs;
    if (group.failure !== null) calls.failures[group.failure] = (calls.failures[group.failure] ?? 0) + group.calls;
    else if (group.stage === "answers") {
      calls.answers += group.calls;
      calls.answerTokens += group.completionTokens;
    }
    modelCalls.set(group.model, calls);
    tally.seen(group.model);
  }

  const ratings = new Map(tally.rate().map((rating) => [rating.model, rating]));
  const models = [...new Set([...modelCalls.keys(), ...perModel.keys()])].map((model) =>
    modelStatistics(model, modelCalls.get(model), perModel.get(model), times.get(model), ratings.get(model)),
  );
  models.sort(
    (a, b) => (b.rating.rating ?? Number.NEGATIVE_INFINITY) - (a.rating.rating ?? Number.NEGATIVE_INFINITY) || b.answers - a.answers || a.model.localeCompare(b.model),
  );

  const tokens = { calls: 0, promptTokens: 0, completionTokens: 0 };
  for (const group of groups) {
    tokens.calls += group.calls;
    tokens.promptTokens += group.promptTokens;
    tokens.completionTokens += group.completionTokens;
  }
  return {
    period: request.period,
    periodText: describePeriod(request.period),
    ...(request.preset !== undefined && { preset: request.preset }),
    ...(since !== undefined && { since }),
    until: request.now,
    councils: { total, byStatus, byPlatform },
    stages: STAGES.flatMap((stage) => {
      const measured = spread(stageTimes.get(stage) ?? []);
      if (!measured) return [];
      const stageTotal = stageTokens.get(stage) ?? { promptTokens: 0, completionTokens: 0 };
      return [{ stage, councils: stageTimes.get(stage)?.length ?? 0, medianMs: measured.median, p90Ms: measured.p90, ...stageTotal }];
    }),
    consensus: {
      councils: consensus.length,
      mean: consensus.length === 0 ? null : consensus.reduce((sum, value) => sum + value, 0) / consensus.length,
      histogram: histogram(consensus),
    },
    tokens,
    models,
    ...(request.referencePrice && { cost: costOf(tokens, request.referencePrice) }),
  };
}

interface ReviewTally {
  rankedFirst: number;
  scores: number;
  scoreSum: number;
  agreements: number;
  agreementSum: number;
  abstained: number;
}

interface CallTotals {
  calls: number;
  answers: number;
  answerTokens: number;
  failures: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  evalMs: number;
}

/**
 * A ballot's preferences between models: every pair it ordered, except where the reviewer's own
 * model is one side (a model seated twice would otherwise judge itself, the bias councils avoid
 * by never showing a reviewer its own answer). Two answers given the same score are a tie:
 * the reviewer said they were as good, whatever order the ranking format forced on them.
 */
function countPeerReview(review: PeerReview, tally: ReturnType<typeof createPreferenceTally>, reviewOf: (model: string) => ReviewTally, consensus: number[]): void {
  tally.council();
  if (review.consensus !== null) consensus.push(review.consensus);
  const first = review.placed[0];
  if (first !== undefined) reviewOf(first).rankedFirst += 1;
  for (const model of review.placed) tally.seen(model);
  for (const ballot of review.ballots) {
    const reviewer = reviewOf(ballot.by);
    if (ballot.abstained) {
      reviewer.abstained += 1;
      continue;
    }
    if (ballot.agreement !== null) {
      reviewer.agreements += 1;
      reviewer.agreementSum += ballot.agreement;
    }
    ballot.order.forEach((model, i) => {
      const score = ballot.scores[i];
      if (model !== ballot.by && score !== null && score !== undefined) {
        const reviewed = reviewOf(model);
        reviewed.scores += 1;
        reviewed.scoreSum += score;
      }
      for (let j = i + 1; j < ballot.order.length; j++) {
        const below = ballot.order[j] as string;
        if (model === ballot.by || below === ballot.by) continue;
        const tie = score !== null && score !== undefined && score === ballot.scores[j];
        tally.prefer(model, below, tie);
      }
    });
  }
}

function modelStatistics(
  model: string,
  calls: CallTotals | undefined,
  review: ReviewTally | undefined,
  times: { wallMs: number[]; firstTokenMs: number[] } | undefined,
  rating: ModelRating | undefined,
): ModelStatistics {
  const latency = spread(times?.wallMs ?? []);
  const firstToken = spread(times?.firstTokenMs ?? []);
  const failures = { ...calls?.failures };
  if (review?.abstained) failures.abstained = (failures.abstained ?? 0) + review.abstained;
  return {
    model,
    calls: calls?.calls ?? 0,
    answers: calls?.answers ?? 0,
    failures,
    medianLatencyMs: latency?.median ?? null,
    p90LatencyMs: latency?.p90 ?? null,
    medianFirstTokenMs: firstToken?.median ?? null,
    promptTokens: calls?.promptTokens ?? 0,
    completionTokens: calls?.completionTokens ?? 0,
    tokensPerSecond: calls && calls.evalMs > 0 ? (calls.completionTokens / calls.evalMs) * 1000 : null,
    meanAnswerTokens: calls && calls.answers > 0 ? calls.answerTokens / calls.answers : null,
    rankedFirst: review?.rankedFirst ?? 0,
    meanPeerScore: review && review.scores > 0 ? review.scoreSum / review.scores : null,
    agreement: review && review.agreements > 0 ? review.agreementSum / review.agreements : null,
    rating: rating ?? { model, rating: null, interval: null, comparisons: 0, wins: 0 },
  };
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

/** Whether the period has anything to show: a period with no councils says so instead of an empty chart. */
export function isEmpty(statistics: Statistics): boolean {
  return statistics.councils.total === 0;
}
