import type { CallUsage } from "../llm/port.js";

export type StageName = "answers" | "debate" | "review" | "synthesis";

/** One model call, as accounted: Ollama's counts and durations plus the wall time we saw. */
export interface CallStats extends CallUsage {
  model: string;
  stage: StageName;
  /** When the call started, in ms from the council's start (the timeline's x). */
  startMs: number;
  /** From the call's start to its first streamed text; absent when none came (structured output, an empty answer). */
  firstTokenMs?: number;
  wallMs: number;
  /** The chairman reading its prompt's first part ahead of the final call (one token generated). */
  prefill?: true;
  /** Prompt tokens this call found already read by a prefill: not in promptTokens, which counts each token once. */
  cachedTokens?: number;
}

export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Ollama's time loading models, evaluating prompts and generating, summed over the calls. */
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
  /** The calls' wall times summed (calls overlap, so this exceeds the council's wall time). */
  wallMs: number;
  /** Generation speed: completion tokens over Ollama's eval time. */
  tokensPerSecond: number | null;
  /** Prompt tokens the prefills read ahead (counted there, once), and their reading time, which the calls after them did not spend. */
  readAheadTokens: number;
  readAheadMs: number;
}

export interface UsageSummary extends UsageTotals {
  byStage: Partial<Record<StageName, UsageTotals>>;
  byModel: Record<string, UsageTotals>;
}

export function totals(calls: readonly CallStats[]): UsageTotals {
  const sum = (pick: (call: CallStats) => number) => calls.reduce((total, call) => total + pick(call), 0);
  const promptTokens = sum((call) => call.promptTokens);
  const completionTokens = sum((call) => call.completionTokens);
  const evalMs = sum((call) => call.evalMs);
  return {
    calls: calls.length,
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    loadMs: sum((call) => call.loadMs),
    promptEvalMs: sum((call) => call.promptEvalMs),
    evalMs,
    wallMs: sum((call) => call.wallMs),
    tokensPerSecond: evalMs > 0 ? Math.round((completionTokens / evalMs) * 10_000) / 10 : null,
    readAheadTokens: sum((call) => (call.prefill ? call.promptTokens : 0)),
    readAheadMs: sum((call) => (call.prefill ? call.promptEvalMs : 0)),
  };
}

export function summarize(calls: readonly CallStats[]): UsageSummary {
  const group = <K extends string>(key: (call: CallStats) => K) => {
    const groups = new Map<K, CallStats[]>();
    for (const call of calls) groups.set(key(call), [...(groups.get(key(call)) ?? []), call]);
    return Object.fromEntries([...groups].map(([name, list]) => [name, totals(list)])) as Record<K, UsageTotals>;
  };
  return { ...totals(calls), byStage: group((call) => call.stage), byModel: group((call) => call.model) };
}
