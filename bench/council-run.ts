import type { CouncilEngine } from "../src/council/engine.js";
import type { CouncilEvent } from "../src/council/events.js";
import type { Preset } from "../src/council/preset.js";
import type { UsageSummary } from "../src/council/usage.js";
import type { ChatRequest, LlmClient } from "../src/llm/port.js";
import { createLlmRouter } from "../src/llm/router.js";
import type { FakeOllama, RecordedRequest } from "../test-support/fake-ollama/index.js";
import { type Bound, type Call, callsOf, type CallSet, type Gaps, gapsOf, lowerBound } from "./council-bound.js";
import { type Fakes, questionFor } from "./council-fakes.js";

// One measured council, and the same work replayed as a naive stage-barrier schedule.

export interface CouncilMeasure {
  /** performance.now() when runCouncil was called, on the fakes' clock. */
  startedAt: number;
  wallMs: number;
  bound: Bound;
  /** The bound with every load taken out: what the same council costs warm. */
  warmBound: Bound;
  usage: UsageSummary;
  set: CallSet;
  gaps: Gaps;
  /** Loads and reloads the fakes counted during this council, over every model. */
  loads: number;
  reloads: number;
  /** Anything that makes the figures suspect: a failed council, a warning, a cut answer, a repair. */
  problems: string[];
}

type Finished = Extract<CouncilEvent, { type: "council-finished" }>;

/** Numbers the councils of this thread, so each asks its own question. */
let councilsAsked = 0;

function loadCounts(fakes: Fakes): { loads: number; reloads: number } {
  let loads = 0;
  let reloads = 0;
  for (const fake of [fakes.members, fakes.chairman]) {
    for (const model of new Set(fake.requests.flatMap((record) => (record.model ? [record.model] : [])))) {
      loads += fake.loads(model);
      reloads += fake.reloads(model);
    }
  }
  return { loads, reloads };
}

async function settled(fake: FakeOllama, records: readonly RecordedRequest[]): Promise<void> {
  await Promise.all(records.filter((record) => record.finishedAt === undefined).map((record) => fake.waitForSettled(record.id, 10_000)));
}

export async function measureCouncil(engine: CouncilEngine, preset: Preset, fakes: Fakes): Promise<CouncilMeasure> {
  const memberFrom = fakes.members.requests.length;
  const chairFrom = fakes.chairman.requests.length;
  const before = loadCounts(fakes);
  const problems: string[] = [];
  let finished: Finished | undefined;
  let finishedAt = Number.NaN;

  const startedAt = performance.now();
  for await (const event of engine.runCouncil(questionFor(++councilsAsked), preset)) {
    if (event.type === "warning") problems.push(`warning ${event.code}: ${event.message}`);
    if (event.type === "council-finished") {
      finishedAt = performance.now();
      finished = event;
    }
  }
  if (!finished) throw new Error(`${preset.name}: the council ended without council-finished`);
  if (finished.status !== "completed") problems.push(`council ${finished.status}: ${finished.reason ?? ""}`);

  const memberRecords = fakes.members.requests.slice(memberFrom);
  const chairRecords = fakes.chairman.requests.slice(chairFrom);
  await Promise.all([settled(fakes.members, memberRecords), settled(fakes.chairman, chairRecords)]);
  const set = callsOf(memberRecords, chairRecords, fakes.scriptOf);
  for (const call of set.calls) {
    // A prefill is cut at its one token on purpose.
    if (call.kind !== "load" && call.kind !== "prefill" && call.record.doneReason !== "stop") problems.push(`${call.kind} by ${call.model} ended with ${call.record.doneReason}`);
  }
  const repairs = set.reviews.filter((call) => call.deps.some((dep) => dep.kind === "review")).length;
  if (repairs > 0) problems.push(`${repairs} ballot repairs`);
  const after = loadCounts(fakes);
  return {
    startedAt,
    wallMs: finishedAt - startedAt,
    bound: lowerBound(set, fakes.slots),
    warmBound: lowerBound(set, fakes.slots, { warm: true }),
    usage: finished.usage,
    set,
    gaps: gapsOf(set, startedAt, finishedAt),
    loads: after.loads - before.loads,
    reloads: after.reloads - before.reloads,
    problems,
  };
}

async function drain(client: LlmClient, request: ChatRequest): Promise<void> {
  for await (const part of client.chat(request, { signal: AbortSignal.timeout(120_000) })) void part;
}

/**
 * The same calls in three waves with a barrier between them, through fresh clients on the
 * same fakes: every answer at once; then every review at once; then the chairman.
 */
export async function replayNaive(set: CallSet, fakes: Fakes): Promise<number> {
  const members = createLlmRouter({ urls: [fakes.members.url] });
  const chairman = createLlmRouter({ urls: [fakes.chairman.url] });
  await Promise.all([members.probe(), chairman.probe()]);
  const startedAt = performance.now();
  await Promise.all(set.requests.answers.map((request) => drain(members, request)));
  await Promise.all(set.requests.reviews.map((request) => drain(members, request)));
  await Promise.all(set.requests.chairman.map((request) => drain(chairman, request)));
  return performance.now() - startedAt;
}

/** What the report needs from one council, as plain data (it crosses from a worker thread). */
export interface CouncilFigures {
  wallMs: number;
  boundMs: number;
  pathMs: number;
  slotsMs: number;
  /** The bound with the loads taken out. */
  warmBoundMs: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Completion tokens of the smallest and largest review. */
  reviewTokens: [number, number];
  /** From runCouncil to the chairman's first token (its final call's first byte at the fake). */
  chairFirstTokenMs: number;
  /** Prompt tokens the fakes evaluated (not found in a slot's cache), over every call, and the chairman's alone. */
  evaluatedPromptTokens: number;
  chairmanEvaluatedTokens: number;
  /** Calls that paid a load. */
  paidLoads: number;
  loads: number;
  reloads: number;
  gaps: Gaps;
  problems: string[];
}

export function figuresOf(measure: CouncilMeasure): CouncilFigures {
  const reviewTokens = measure.set.reviews.map((call) => call.record.completionTokens ?? 0);
  const evaluated = (calls: readonly Call[]) => calls.reduce((sum, call) => sum + (call.record.promptTokens ?? 0) - (call.record.cachedTokens ?? 0), 0);
  const chats = measure.set.calls.filter((call) => call.kind !== "load");
  const chairFirstByte = measure.set.chairman[0]?.record.firstByteAt;
  return {
    wallMs: measure.wallMs,
    boundMs: measure.bound.ms,
    pathMs: measure.bound.pathMs,
    slotsMs: measure.bound.slotsMs,
    warmBoundMs: measure.warmBound.ms,
    calls: measure.usage.calls,
    promptTokens: measure.usage.promptTokens,
    completionTokens: measure.usage.completionTokens,
    totalTokens: measure.usage.totalTokens,
    reviewTokens: [Math.min(...reviewTokens), Math.max(...reviewTokens)],
    chairFirstTokenMs: chairFirstByte === undefined ? Number.NaN : chairFirstByte - measure.startedAt,
    evaluatedPromptTokens: evaluated(chats),
    chairmanEvaluatedTokens: evaluated(chats.filter((call) => call.kind === "chairman" || call.kind === "prefill")),
    paidLoads: measure.set.calls.filter((call) => call.record.loaded).length,
    loads: measure.loads,
    reloads: measure.reloads,
    gaps: measure.gaps,
    problems: measure.problems,
  };
}
