import type { FailureReason } from "../council/events.js";
import type { StageName } from "../council/usage.js";
import type { CouncilSummary, SummaryReview } from "./council-summary.js";

// Councils' summaries as the store keeps them: integers, one council after another in the blob
// of its hour (summary_hours), its models named by a model list kept once. The statistics read
// a year of councils at a time: parsing 100,000 JSON summaries took half a second and stepping
// 100,000 rows a third of one; reading the integers of 9,000 hours takes a small part of that.
// Each integer is a zigzag LEB128 varint (as Protocol Buffers' sint32): most are small, so a
// council takes about 150 bytes instead of 600 as 32-bit integers, which is what the bot's
// memory holds while it reads a year. Times are whole milliseconds, shares thousandths,
// scores tenths; -1 stands for "none".
//
//   length (of this council, in integers), ms after the hour began, model list id, version,
//   stage ms × 4 (answers, debate, review, synthesis), consensus,
//   calls: count, then per call: model, stage, failure, prompt, completion, eval ms, wall ms, first token ms
//   review: -1 (none), or placed count, placed models, ballots count, then per ballot:
//     reviewer, ranked count (-1: abstained), ranked models, their scores, agreement

const VERSION = 1;
const NONE = -1;
export const SUMMARY_STAGES: readonly StageName[] = ["answers", "debate", "review", "synthesis"];
const FAILURES: ReadonlyArray<FailureReason["kind"]> = [
  "unreachable", "model-missing", "busy", "timeout", "refused", "bad-response", "deadline", "cancelled", "error",
];
export const HOUR_MS = 3_600_000;

export class SummaryFormatError extends Error {
  override readonly name = "SummaryFormatError";
}

/**
 * What a reader is told of each council, in order; model arguments index the council's model
 * list. The arrays it is handed are the reader's scratch, valid during the call only: a year of
 * ballots would otherwise leave a million small arrays for the collector.
 */
export interface SummarySink {
  council(models: readonly string[]): void;
  stage(stage: StageName, ms: number): void;
  call(model: number, stage: StageName, failure: FailureReason["kind"] | null, prompt: number, completion: number, evalMs: number, wallMs: number, firstTokenMs: number | null): void;
  review(placed: readonly number[], consensus: number | null): void;
  /** `order` and `scores` are null for an abstention. */
  ballot(by: number, order: readonly number[] | null, scores: ReadonlyArray<number | null> | null, agreement: number | null): void;
}

/** One council's entry, to be appended to its hour's blob. */
export function encodeSummary(summary: CouncilSummary, modelList: number, msInHour: number): Buffer {
  const ints: number[] = [0, msInHour, modelList, VERSION, ...SUMMARY_STAGES.map((stage) => summary.stages[stage] ?? NONE), thousandths(summary.review?.consensus ?? null)];
  ints.push(summary.calls.length);
  for (const [model, stage, failure, prompt, completion, evalMs, wallMs, firstTokenMs] of summary.calls) {
    ints.push(model, SUMMARY_STAGES.indexOf(stage), failure === null ? NONE : Math.max(0, FAILURES.indexOf(failure)), prompt, completion, evalMs, wallMs, firstTokenMs ?? NONE);
  }
  const review = summary.review;
  if (!review) ints.push(NONE);
  else {
    ints.push(review.placed.length, ...review.placed, review.ballots.length);
    for (const [by, order, scores, agreement] of review.ballots) {
      if (order === null) ints.push(by, NONE);
      else ints.push(by, order.length, ...order, ...(scores ?? []).map((score) => (score === null ? NONE : score * 10)), thousandths(agreement ?? null));
    }
  }
  ints[0] = ints.length;
  const bytes: number[] = [];
  for (const raw of ints) {
    // Whole numbers within 32 bits, as the reader's array holds them.
    const value = Math.min(2 ** 31 - 1, Math.max(-(2 ** 31), Math.round(raw)));
    // Zigzag: 0, -1, 1, -2 … become 0, 1, 2, 3 …, so -1 takes one byte.
    let unsigned = value >= 0 ? value * 2 : -value * 2 - 1;
    while (unsigned >= 0x80) {
      bytes.push((unsigned % 0x80) | 0x80);
      unsigned = Math.floor(unsigned / 0x80);
    }
    bytes.push(unsigned);
  }
  return Buffer.from(bytes);
}

export interface ReadOptions {
  /** The model lists by id. */
  modelLists: ReadonlyMap<number, readonly string[]>;
  /** Skips councils created before this many ms after the hour began (for a period that starts mid-hour). */
  fromMsInHour?: number;
}

/** Reads hours' blobs one after another through scratch arrays. */
export function createSummaryReader(): (facts: Buffer, options: ReadOptions, sink: SummarySink) => void {
  let ints = new Int32Array(4096);
  const scratch: Scratch = { placed: [], order: [], scores: [] };
  return (facts, options, sink) => {
    // A varint takes at least one byte: the blob's length bounds its count.
    if (facts.length > ints.length) ints = new Int32Array(Math.max(facts.length, ints.length * 2));
    const count = readVarints(facts, ints);
    for (let at = 0; at < count; ) {
      const length = ints[at] as number;
      if (length < 4 || at + length > count) throw new SummaryFormatError("a council summary is cut short");
      if ((ints[at + 1] as number) >= (options.fromMsInHour ?? 0)) readCouncil(ints, at, length, options.modelLists, sink, scratch);
      at += length;
    }
  };
}

function readVarints(bytes: Uint8Array, into: Int32Array): number {
  let count = 0;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * scale;
    if (byte & 0x80) {
      scale *= 0x80;
      if (scale > 2 ** 35) throw new SummaryFormatError("a council summary holds a number too large to be one of ours");
      continue;
    }
    into[count++] = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    value = 0;
    scale = 1;
  }
  if (scale !== 1) throw new SummaryFormatError("a council summary is cut short");
  return count;
}

interface Scratch {
  placed: number[];
  order: number[];
  scores: Array<number | null>;
}

function readCouncil(ints: Int32Array, start: number, length: number, modelLists: ReadonlyMap<number, readonly string[]>, sink: SummarySink, scratch: Scratch): void {
  const end = start + length;
  let at = start + 2;
  const models = modelLists.get(ints[at++] as number);
  if (!models) throw new SummaryFormatError("a council summary names a model list the store does not have");
  if (ints[at++] !== VERSION) throw new SummaryFormatError("a council summary is of an unknown version");
  sink.council(models);
  for (const stage of SUMMARY_STAGES) {
    const ms = ints[at++] as number;
    if (ms !== NONE) sink.stage(stage, ms);
  }
  const consensus = share(ints[at++] as number);
  for (let calls = ints[at++] as number; calls > 0; calls--, at += 8) {
    const failure = ints[at + 2] as number;
    sink.call(
      ints[at] as number,
      SUMMARY_STAGES[ints[at + 1] as number] ?? "answers",
      failure === NONE ? null : (FAILURES[failure] ?? "error"),
      ints[at + 3] as number,
      ints[at + 4] as number,
      ints[at + 5] as number,
      ints[at + 6] as number,
      orNull(ints[at + 7] as number),
    );
  }
  const placedCount = ints[at++] as number;
  if (placedCount !== NONE) {
    sink.review(fill(scratch.placed, ints, at, placedCount), consensus);
    at += placedCount;
    for (let ballots = ints[at++] as number; ballots > 0; ballots--) {
      const by = ints[at++] as number;
      const ranked = ints[at++] as number;
      if (ranked === NONE) {
        sink.ballot(by, null, null, null);
        continue;
      }
      const order = fill(scratch.order, ints, at, ranked);
      const { scores } = scratch;
      scores.length = ranked;
      for (let i = 0; i < ranked; i++) {
        const tenths = ints[at + ranked + i] as number;
        scores[i] = tenths === NONE ? null : tenths / 10;
      }
      at += 2 * ranked;
      sink.ballot(by, order, scores, share(ints[at++] as number));
    }
  }
  if (at !== end) throw new SummaryFormatError("a council summary's length disagrees with its contents");
}

function fill(values: number[], ints: Int32Array, from: number, count: number): number[] {
  values.length = count;
  for (let i = 0; i < count; i++) values[i] = ints[from + i] as number;
  return values;
}

/** The summaries of a blob as objects: for tests and a look inside, not for the statistics' loop. */
export function decodeSummaries(facts: Buffer, modelLists: ReadonlyMap<number, readonly string[]>): CouncilSummary[] {
  const summaries: CouncilSummary[] = [];
  let current: CouncilSummary = { models: [], stages: {}, calls: [] };
  let review: SummaryReview | undefined;
  createSummaryReader()(facts, { modelLists }, {
    council(models) {
      current = { models: [...models], stages: {}, calls: [] };
      review = undefined;
      summaries.push(current);
    },
    stage: (stage, ms) => void (current.stages[stage] = ms),
    call: (...call) => void current.calls.push(call),
    review: (placed, consensus) => void (current.review = review = { placed: [...placed], consensus, ballots: [] }),
    ballot: (by, order, scores, agreement) => void review?.ballots.push(order === null ? [by, null] : [by, [...order], [...(scores ?? [])], agreement]),
  });
  return summaries;
}

function thousandths(value: number | null): number {
  return value === null ? NONE : Math.round(value * 1000);
}

function share(value: number): number | null {
  return value === NONE ? null : value / 1000;
}

function orNull(value: number): number | null {
  return value === NONE ? null : value;
}
