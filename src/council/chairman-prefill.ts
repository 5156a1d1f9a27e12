import type { ChatMessage } from "../llm/port.js";
import { fitTexts } from "./context-budget.js";
import { callModel } from "./model-call.js";
import { synthesisPrefix, synthesisSuffix } from "./prompts.js";
import { chatOptions, contextFor, KEEP_ALIVE, type Session } from "./session.js";
import type { Answers } from "./stage-answers.js";
import { warnTrimmed } from "./stage-answers.js";
import type { CallStats } from "./usage.js";

// The chairman reads the answers while the council reviews them. Its prompt's first part (the
// question and every answer) is known once the answers are in, and Ollama keeps each slot's KV
// cache and reuses the longest common prefix of the next prompt; so a request that only reads
// that part (num_predict 1: Ollama reads 0 as "no limit"), sent as soon as the answers settle,
// leaves the final call only the review's results to read. On a chairman that reads slowly (a
// CPU reads 50-200 tokens a second) that moves most of its reading off the critical path.

/** A typical critique, to keep room for the review's part when the answers are fitted. */
const TYPICAL_CRITIQUE = "x".repeat(80);

export interface ChairmanReadAhead {
  /** The chairman's prompt up to the review's results: the final prompt starts with it. */
  prefix: ChatMessage[];
  /** Each answer's number in the prompt, by member (member order). */
  ids: ReadonlyMap<string, number>;
  /**
   * Settles once the prefill call has ended, with its stats when it read the prefix; undefined
   * when it failed. Never rejects. The final call waits for it: sent while the prefix is still
   * being read, it would go to another slot (or queue behind it) and read everything again.
   */
  read: Promise<CallStats | undefined>;
}

/** Fits the answers into the chairman's context, builds the prefix and sends its prefill. */
export function readAhead(session: Session, answers: Answers): ChairmanReadAhead {
  const { chairman } = session.preset;
  const numPredict = session.preset.limits.numPredict.synthesis;
  const options = chatOptions(session, chairman.model, numPredict, chairman.temperature);
  const context = contextFor(session, chairman.model, numPredict);
  const members = [...answers.keys()];
  const ids = new Map(members.map((member, index) => [member, index + 1]));
  const prefixWith = (texts: readonly string[]) =>
    synthesisPrefix(chairman, session.question, context, members.map((_, index) => ({ id: index + 1, text: texts[index] ?? "" })));

  // The answers are fitted now, once, so that the prefill and the final call read the same text;
  // the review's part is reserved at a typical critique length (stage-verdict trims longer ones).
  const reserve = synthesisSuffix(
    members.map((_, index) => ({ id: index + 1, meanScore: 10, critiques: members.slice(1).map(() => TYPICAL_CRITIQUE) })),
    1,
  );
  const fixed = prefixWith([]).map((message) => message.content).join("\n") + reserve;
  const fitted = fitTexts(members.map((member) => answers.get(member) ?? ""), fixed, options.num_ctx, numPredict);
  if (fitted.trimmed) warnTrimmed(session, "synthesis", chairman.model);
  const prefix = prefixWith(fitted.texts);

  const read = prefill(session, prefix, { ...options, num_predict: 1 });
  return { prefix, ids, read };
}

/** The prefill call: the final call's model, options, num_ctx and keep_alive, so nothing reloads; cancelled with the council. */
async function prefill(session: Session, messages: ChatMessage[], options: ReturnType<typeof chatOptions>): Promise<CallStats | undefined> {
  const model = session.preset.chairman.model;
  const { callTimeoutMs, stageTimeoutMs } = session.preset.limits;
  const outcome = await callModel(
    session.chairman,
    { model, messages, options, keepAlive: KEEP_ALIVE },
    { stage: "synthesis", signal: session.signal, councilSignal: session.signal, stageTimeoutMs, callTimeoutMs, now: session.now, councilStartedAt: session.startedAt },
  );
  if (!outcome.ok) {
    session.emit({ type: "call-failed", model, stage: "synthesis", startMs: outcome.startMs, wallMs: outcome.wallMs, reason: outcome.reason });
    return undefined;
  }
  const stats: CallStats = { ...outcome.stats, prefill: true };
  session.emit({ type: "call-finished", stats });
  return stats;
}

/**
 * The final call's stats with each prompt token counted once. Ollama reports the whole prompt
 * in prompt_eval_count even when most of it came from the cache (only prompt_eval_duration
 * shrinks), and the prefill already counted the prefix; so the final call counts what lies
 * beyond it, and records how much it found read and the time that reading took.
 */
export function countOnce(stats: CallStats, prefilled: CallStats | undefined): CallStats {
  if (!prefilled) return stats;
  const cachedTokens = Math.min(prefilled.promptTokens, stats.promptTokens);
  return { ...stats, promptTokens: stats.promptTokens - cachedTokens, cachedTokens, cacheSavedMs: prefilled.promptEvalMs };
}
