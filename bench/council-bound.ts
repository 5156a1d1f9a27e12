import type { ChatRequest } from "../src/llm/port.js";
import { expectedTiming, type FakeModel, type RecordedRequest } from "../test-support/fake-ollama/index.js";
import { scriptedAnswer } from "./council-fakes.js";

// The council's calls as the fakes recorded them, the dependency DAG between them, and the
// lower bound on wall time that the timing model allows:
//
//   LB = max( longest path through the DAG,
//             for each model m: max over t of (t + busy time of the calls on m that cannot start before t)
//                               + the shortest chain that must still follow m's last call )
//
// where the busy time of k calls on s slots is at least their total work / s, and at least the
// sum of the ceil(k / s) shortest of them (a call runs whole on one slot, so some slot runs that
// many one after another).
//
// A call's model time is what the fake's timing model charges on an idle slot
// (expectedTiming: load if it paid one + evaluated prompt tokens / prefill + completionTokens /
// decode), where the evaluated prompt tokens are those its slot's prompt cache did not hold.
// Queue waits, HTTP, JSON and the engine's own work are what the measured wall adds to it.

/** "prefill": a chairman call that only reads a prompt prefix (num_predict 1) for a later call to find cached. */
export type CallKind = "answer" | "review" | "chairman" | "prefill" | "load";

export interface Call {
  index: number;
  kind: CallKind;
  model: string;
  record: RecordedRequest;
  /** Model time (ms) by the fake's timing model. */
  ms: number;
  /** Model time without any load. */
  msWarm: number;
  deps: Call[];
}

export interface CallSet {
  calls: Call[];
  answers: Call[];
  reviews: Call[];
  /** The chairman's final call(s), without its prefills. */
  chairman: Call[];
  prefills: Call[];
  /** The chat bodies as sent, for the replay. */
  requests: { answers: ChatRequest[]; reviews: ChatRequest[]; chairman: ChatRequest[] };
}

interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  options: ChatRequest["options"];
  format?: ChatRequest["format"];
  keep_alive?: string | number;
}

function chatBodyOf(record: RecordedRequest): ChatBody | undefined {
  if (record.path !== "/api/chat" || typeof record.body !== "object" || record.body === null) return undefined;
  return record.body as ChatBody;
}

export function toChatRequest(body: ChatBody): ChatRequest {
  return {
    model: body.model,
    messages: body.messages.map((message) => ({ role: message.role as "system" | "user" | "assistant", content: message.content })),
    options: body.options,
    ...(body.format !== undefined && { format: body.format }),
    ...(body.keep_alive !== undefined && { keepAlive: body.keep_alive }),
  };
}

/**
 * Classifies the chats the two fakes recorded during one council and links them:
 * an answer depends on nothing; a review on every answer whose text its prompt shows and on
 * its reviewer's own answer (ranking: all of them; pairwise: the scored one and its own); a
 * repair on the review it repairs; the chairman on every review and on the prefills sent before
 * it; a prefill (a chairman chat with num_predict 1) on the answers its prompt shows and the
 * prefills before it. A load-only chat (a preload)
 * that paid a load comes before every later call to its model.
 */
export function callsOf(memberRecords: readonly RecordedRequest[], chairRecords: readonly RecordedRequest[], scriptOf: (model: string) => FakeModel): CallSet {
  const calls: Call[] = [];
  const make = (kind: CallKind, record: RecordedRequest, model: string): Call => {
    const script = scriptOf(model);
    const prompt = (record.promptTokens ?? 0) - (record.cachedTokens ?? 0);
    const completion = record.completionTokens ?? 0;
    const ms = kind === "load" ? (record.loaded ? (script.loadMs ?? 0) : 0) : expectedTiming(script, prompt, completion, record.loaded).totalMs;
    const msWarm = kind === "load" ? 0 : expectedTiming(script, prompt, completion, false).totalMs;
    const call: Call = { index: calls.length, kind, model, record, ms, msWarm, deps: [] };
    calls.push(call);
    return call;
  };
  const requests: CallSet["requests"] = { answers: [], reviews: [], chairman: [] };
  const answers: Call[] = [];
  const reviews: Call[] = [];
  const chairman: Call[] = [];
  const prefills: Call[] = [];
  const loads: Call[] = [];
  const answerOfModel = new Map<string, Call>();
  const reviewBodies = new Map<Call, ChatBody>();

  for (const [records, side] of [[memberRecords, "members"], [chairRecords, "chairman"]] as const) {
    for (const record of records) {
      const body = chatBodyOf(record);
      if (!body) continue;
      if (body.messages.length === 0) {
        if (record.loaded) loads.push(make("load", record, body.model));
        continue;
      }
      if (side === "chairman" && body.options.num_predict === 1) {
        prefills.push(make("prefill", record, body.model));
      } else if (side === "chairman") {
        chairman.push(make("chairman", record, body.model));
        requests.chairman.push(toChatRequest(body));
      } else if (body.format === undefined) {
        const call = make("answer", record, body.model);
        answers.push(call);
        answerOfModel.set(body.model, call);
        requests.answers.push(toChatRequest(body));
      } else {
        const call = make("review", record, body.model);
        reviews.push(call);
        reviewBodies.set(call, body);
        requests.reviews.push(toChatRequest(body));
      }
    }
  }

  const authorOf = new Map(answers.map((answer) => [scriptedAnswer(memberIndex(answer.model)), answer]));
  for (const review of reviews) {
    const body = reviewBodies.get(review) as ChatBody;
    const text = body.messages.map((message) => message.content).join("\n");
    const deps = new Set<Call>();
    for (const [answerText, answer] of authorOf) if (text.includes(answerText)) deps.add(answer);
    const own = answerOfModel.get(review.model);
    if (own) deps.add(own);
    // A repair carries the invalid ballot back as an assistant message: it follows that review.
    if (body.messages.some((message) => message.role === "assistant")) {
      const first = reviews.find((other) => other !== review && other.model === review.model && reviewBodies.get(other)?.messages[1]?.content === body.messages[1]?.content);
      if (first) deps.add(first);
    }
    review.deps = [...deps];
  }
  // A prefill follows the answers its prompt shows and the prefills sent before it (it extends
  // them); the final call follows every review and every prefill before it.
  for (const [index, call] of prefills.entries()) {
    const text = chatBodyOf(call.record)?.messages.map((message) => message.content).join("\n") ?? "";
    call.deps = [...[...authorOf].flatMap(([answerText, answer]) => (text.includes(answerText) ? [answer] : [])), ...prefills.slice(0, index)];
  }
  for (const call of chairman) call.deps = [...reviews, ...prefills.filter((prefill) => prefill.record.receivedAt <= call.record.receivedAt)];
  // A call to a model that was loading waits for the load.
  for (const load of loads) {
    for (const call of calls) if (call !== load && call.model === load.model && call.record.receivedAt >= load.record.receivedAt) call.deps.push(load);
  }
  return { calls, answers, reviews, chairman, prefills, requests };
}

function memberIndex(model: string): number {
  return Number(/^member-(\d+)/.exec(model)?.[1] ?? Number.NaN);
}

export interface Bound {
  /** The lower bound (ms). */
  ms: number;
  /** The longest dependency chain alone. */
  pathMs: number;
  /** The busiest model's bound, with what must follow it. */
  slotsMs: number;
}

/** The lower bound for these calls, with `slots` slots per model; `warm` ignores every load. */
export function lowerBound(set: CallSet, slots: number, options: { warm?: boolean } = {}): Bound {
  const cost = (call: Call) => (options.warm ? call.msWarm : call.ms);
  const ordered = topological(set.calls);
  const earliestStart = new Map<Call, number>();
  const earliestFinish = new Map<Call, number>();
  for (const call of ordered) {
    const start = Math.max(0, ...call.deps.map((dep) => earliestFinish.get(dep) ?? 0));
    earliestStart.set(call, start);
    earliestFinish.set(call, start + cost(call));
  }
  // The longest chain from a call's end to the last call.
  const successors = new Map<Call, Call[]>(set.calls.map((call) => [call, []]));
  for (const call of set.calls) for (const dep of call.deps) successors.get(dep)?.push(call);
  const chainFrom = new Map<Call, number>();
  for (const call of [...ordered].reverse()) {
    chainFrom.set(call, cost(call) + Math.max(0, ...(successors.get(call) ?? []).map((next) => chainFrom.get(next) ?? 0)));
  }
  const tailAfter = (call: Call) => (chainFrom.get(call) ?? 0) - cost(call);

  const pathMs = Math.max(0, ...earliestFinish.values());
  let slotsMs = 0;
  const byModel = new Map<string, Call[]>();
  for (const call of set.calls) byModel.set(call.model, [...(byModel.get(call.model) ?? []), call]);
  for (const calls of byModel.values()) {
    // A load holds the whole model, not one slot: count it once per slot.
    const work = (call: Call) => (call.kind === "load" ? cost(call) * slots : cost(call));
    let busy = 0;
    for (const release of new Set(calls.map((call) => earliestStart.get(call) ?? 0))) {
      const later = calls.filter((call) => (earliestStart.get(call) ?? 0) >= release);
      const fluid = later.reduce((sum, call) => sum + work(call), 0) / slots;
      // Calls are not split across slots: some slot runs at least ceil(k / slots) of the k chats, one after another.
      const chats = later.filter((call) => call.kind !== "load").map(cost).sort((a, b) => a - b);
      const whole = chats.slice(0, Math.ceil(chats.length / slots)).reduce((sum, ms) => sum + ms, 0);
      busy = Math.max(busy, release + Math.max(fluid, whole));
    }
    slotsMs = Math.max(slotsMs, busy + Math.min(...calls.map(tailAfter)));
  }
  return { ms: Math.max(pathMs, slotsMs), pathMs, slotsMs };
}

function topological(calls: readonly Call[]): Call[] {
  const done = new Set<Call>();
  const out: Call[] = [];
  const visit = (call: Call) => {
    if (done.has(call)) return;
    done.add(call);
    for (const dep of call.deps) visit(dep);
    out.push(call);
  };
  for (const call of calls) visit(call);
  return out;
}

/** What the engine adds between the model's work: how late each stage's calls reach the fake after their inputs are in. */
export interface Gaps {
  /** runCouncil to the last answer's arrival at the fake. */
  toAnswersMs: number;
  /** The worst delay between a review's inputs being done and the review arriving. */
  toReviewMs: number;
  /** The last review done to the chairman's call arriving. */
  toChairmanMs: number;
  /** The chairman's call done to council-finished. */
  toFinishMs: number;
  /** Queue wait in the fake (admitted - queued), the worst of any call. */
  maxQueueMs: number;
}

export function gapsOf(set: CallSet, startedAt: number, finishedAt: number): Gaps {
  const finished = (call: Call) => call.record.finishedAt ?? call.record.receivedAt;
  const chat = set.calls.filter((call) => call.kind !== "load");
  const lastReview = Math.max(...set.reviews.map(finished));
  const chair = set.chairman[0];
  return {
    toAnswersMs: Math.max(...set.answers.map((call) => call.record.receivedAt)) - startedAt,
    toReviewMs: Math.max(
      ...set.reviews.map((review) => review.record.receivedAt - Math.max(...review.deps.filter((dep) => dep.kind !== "load").map(finished))),
    ),
    toChairmanMs: chair ? chair.record.receivedAt - lastReview : Number.NaN,
    toFinishMs: chair ? finishedAt - finished(chair) : Number.NaN,
    maxQueueMs: Math.max(0, ...chat.map((call) => (call.record.admittedAt ?? 0) - (call.record.queuedAt ?? 0))),
  };
}
