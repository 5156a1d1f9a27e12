import type { ChatMessage } from "../llm/port.js";
import { fitTexts } from "./context-budget.js";
import { callModel } from "./model-call.js";
import { type ChairmanAnswer, CRITIQUES_PER_ANSWER, synthesisPrefix, synthesisSuffix } from "./prompts.js";
import { callContext, chatOptions, contextFor, KEEP_ALIVE, type Session } from "./session.js";
import type { Answers } from "./stage-answers.js";
import { warnTrimmed } from "./stage-answers.js";
import type { CallStats } from "./usage.js";

// The chairman reads its prompt while the council is still at work. The prompt is ordered so
// that it only grows (prompts.ts), and Ollama keeps each slot's KV cache and reuses the longest
// common prefix of the next prompt (runner/ollamarunner/cache.go); so a request that only reads
// what is known so far (num_predict 1: Ollama reads 0 as "no limit") leaves the next one only
// the rest to read. The question and the instruction are read while the members answer (this
// also loads the model, as the preload did), the answers while the council reviews, and the
// final call reads only the review's results. On a chairman that reads slowly (a CPU reads
// 50-200 tokens a second) that takes most of its reading off the critical path.
//
// Each read waits for the one before it: sent while that one is still reading, it would go to
// another slot, or queue behind it, and read everything again. The cache is the slot's, so a
// council whose chairman serves other councils at the same time keeps its prefix only if
// Ollama has a slot for each (OLLAMA_NUM_PARALLEL).

/** A typical critique, to keep room for the review's part when the answers are fitted. */
const TYPICAL_CRITIQUE = "x".repeat(80);

export interface ChairmanPrefix {
  /** The chairman's prompt up to the review's results: the final prompt starts with it. */
  messages: ChatMessage[];
  /** Each answer's number in the prompt, by member (member order). */
  ids: ReadonlyMap<string, number>;
}

export interface ChairmanReader {
  /** Fits the answers into the chairman's context, builds the prefix and reads it ahead. */
  answersIn(answers: Answers): ChairmanPrefix;
  /** Resolves once nothing is being read ahead (never rejects). */
  idle(): Promise<void>;
  /** A later call's stats, counting only the prompt beyond what was read ahead. */
  account(stats: CallStats): CallStats;
}

/** Starts reading at once: the question and the instruction, before any answer. */
export function createChairmanReader(session: Session): ChairmanReader {
  const { chairman } = session.preset;
  const numPredict = session.preset.limits.numPredict.synthesis;
  const options = chatOptions(session, chairman.model, numPredict, chairman.temperature);
  const context = contextFor(session, chairman.model, numPredict);
  const prefixOf = (answers: readonly ChairmanAnswer[]) => synthesisPrefix(chairman, session.question, context, answers);
  /** Ollama's prompt_eval_count of the last prefix read: counted already, so later calls count only what follows. */
  let read = 0;
  let chain: Promise<void> = Promise.resolve();
  // A chairman that failed a read is not asked to read again: only the final call tries it once more.
  let failed = false;

  const account = (stats: CallStats): CallStats => {
    const cachedTokens = Math.min(read, stats.promptTokens);
    return cachedTokens === 0 ? stats : { ...stats, promptTokens: stats.promptTokens - cachedTokens, cachedTokens };
  };

  // The final call's model, options, num_ctx and keep_alive, so nothing reloads; cancelled with the council.
  const readAhead = (messages: ChatMessage[]) => {
    chain = chain.then(async () => {
      if (session.signal.aborted || failed) return;
      const outcome = await callModel(
        session.chairman,
        { model: chairman.model, messages, options: { ...options, num_predict: 1 }, keepAlive: KEEP_ALIVE },
        callContext(session, "synthesis", session.signal),
      );
      if (!outcome.ok) {
        failed = true;
        session.emit({ type: "call-failed", model: chairman.model, stage: "synthesis", startMs: outcome.startMs, wallMs: outcome.wallMs, reason: outcome.reason });
        return;
      }
      session.emit({ type: "call-finished", stats: { ...account(outcome.stats), prefill: true } });
      read = outcome.stats.promptTokens;
    });
  };

  readAhead(prefixOf([]));
  return {
    answersIn(answers) {
      const members = [...answers.keys()];
      const numbered = (texts: readonly string[]) => members.map((_, index) => ({ id: index + 1, text: texts[index] ?? "" }));
      // The answers are fitted now, once, so that the prefill and the final call read the same
      // text; the review's part is reserved at a typical critique length (stage-verdict trims longer ones).
      const reserve = synthesisSuffix(
        members.map((_, index) => ({ id: index + 1, meanScore: 10, critiques: members.slice(1, 1 + CRITIQUES_PER_ANSWER).map(() => TYPICAL_CRITIQUE) })),
        1,
      );
      const fixed = prefixOf(numbered([])).map((message) => message.content).join("\n") + reserve;
      const fitted = fitTexts(members.map((member) => answers.get(member) ?? ""), fixed, options.num_ctx, numPredict);
      if (fitted.trimmed) warnTrimmed(session, "synthesis", chairman.model);
      const messages = prefixOf(numbered(fitted.texts));
      readAhead(messages);
      return { messages, ids: new Map(members.map((member, index) => [member, index + 1])) };
    },
    idle: () => chain,
    account,
  };
}
