// The timing model, in one place so the fake and the benchmarks that check it agree:
//   wall time = queue wait + load (first use, num_ctx change, after keep_alive)
//             + promptTokens / prefillTokensPerSecond
//             + completionTokens / decodeTokensPerSecond
// where the k-th completion token (k = 1..n) is due at decodeStart + k / rate, so n tokens
// take exactly n / rate and eval_count / eval_duration comes out as the rate.
import type { FakeModel } from "./model-script.js";

export function prefillMs(promptTokens: number, tokensPerSecond = Number.POSITIVE_INFINITY): number {
  return tokensPerSecond === Number.POSITIVE_INFINITY ? 0 : (promptTokens * 1000) / tokensPerSecond;
}

/** Milliseconds after decode start at which the k-th token (1-based) is due. */
export function tokenDueMs(k: number, tokensPerSecond = Number.POSITIVE_INFINITY): number {
  return tokensPerSecond === Number.POSITIVE_INFINITY ? 0 : (k * 1000) / tokensPerSecond;
}

/** How many tokens are due `elapsedMs` after decode start. */
export function tokensDue(elapsedMs: number, total: number, tokensPerSecond = Number.POSITIVE_INFINITY): number {
  if (tokensPerSecond === Number.POSITIVE_INFINITY) return total;
  // The epsilon absorbs float error so a token is never judged early at its own deadline.
  return Math.min(total, Math.floor((elapsedMs * tokensPerSecond) / 1000 + 1e-9));
}

export interface ExpectedTiming {
  loadMs: number;
  prefillMs: number;
  decodeMs: number;
  totalMs: number;
}

/** What one request should cost on an idle slot; add queue wait yourself. */
export function expectedTiming(
  model: FakeModel,
  promptTokens: number,
  completionTokens: number,
  paysLoad: boolean,
): ExpectedTiming {
  const load = paysLoad ? (model.loadMs ?? 0) : 0;
  const prefill = prefillMs(promptTokens, model.prefillTokensPerSecond);
  const decode = tokenDueMs(completionTokens, model.decodeTokensPerSecond);
  return { loadMs: load, prefillMs: prefill, decodeMs: decode, totalMs: load + prefill + decode };
}
