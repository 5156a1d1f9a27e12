import type { CallUsage } from "../llm/port.js";

export type StageName = "answers" | "debate" | "review" | "synthesis";

/** One model call, as accounted: Ollama's counts and durations plus the wall time we saw. */
export interface CallStats extends CallUsage {
  model: string;
  stage: StageName;
  wallMs: number;
}

export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Generation speed: completion tokens over Ollama's eval time. */
  tokensPerSecond: number | null;
}

export interface UsageSummary extends UsageTotals {
  byStage: Partial<Record<StageName, UsageTotals>>;
  byModel: Record<string, UsageTotals>;
}

export function totals(calls: readonly CallStats[]): UsageTotals {
  let promptTokens = 0;
  let completionTokens = 0;
  let evalMs = 0;
  for (const call of calls) {
    promptTokens += call.promptTokens;
    completionTokens += call.completionTokens;
    evalMs += call.evalMs;
  }
  return {
    calls: calls.length,
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    tokensPerSecond: evalMs > 0 ? Math.round((completionTokens / evalMs) * 10_000) / 10 : null,
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
