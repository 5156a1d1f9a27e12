// Ollama silently keeps only the last num_ctx tokens of a prompt that is too long, so a
// review or synthesis prompt must be fitted before it is sent: the fixed part stays whole and
// the answers share what is left, each trimmed to an equal share when they do not all fit.

/** Roughly 3.5 characters per token for English BPE vocabularies; errs on the long side. */
export const CHARS_PER_TOKEN = 3.5;
/** Room for the chat template's role markers and a little estimation error. */
const TEMPLATE_MARGIN_TOKENS = 64;
const TRIM_MARK = " […trimmed to fit the model's context]";

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export interface FittedTexts {
  texts: string[];
  /** Whether any text was cut. */
  trimmed: boolean;
  /** Estimated tokens of the whole prompt as sent. */
  estimatedTokens: number;
}

/**
 * Fits `texts` into what `numCtx` leaves after `fixedText` and the answer's `numPredict`.
 * Short texts keep their length and leave their unused share to the long ones.
 */
export function fitTexts(texts: readonly string[], fixedText: string, numCtx: number, numPredict: number): FittedTexts {
  const fixedTokens = estimateTokens(fixedText) + TEMPLATE_MARGIN_TOKENS;
  const budget = Math.max(0, numCtx - numPredict - fixedTokens);
  const sizes = texts.map(estimateTokens);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= budget) return { texts: [...texts], trimmed: false, estimatedTokens: fixedTokens + total };

  const cap = commonCap(sizes, budget);
  const fitted = texts.map((text, index) => ((sizes[index] ?? 0) > cap ? trimTo(text, cap) : text));
  return { texts: fitted, trimmed: true, estimatedTokens: fixedTokens + fitted.reduce((sum, text) => sum + estimateTokens(text), 0) };
}

/**
 * Water-filling: the largest common cap such that the sizes, each cut to it, fit in `budget`.
 * Sizes under the cap stay whole and leave their unused share to the larger ones.
 */
export function commonCap(sizes: readonly number[], budget: number): number {
  const order = [...sizes].sort((a, b) => a - b);
  let remaining = budget;
  for (let i = 0; i < order.length; i++) {
    const share = Math.floor(remaining / (order.length - i));
    const size = order[i] as number;
    if (size > share) return share;
    remaining -= size;
  }
  return Number.POSITIVE_INFINITY;
}

function trimTo(text: string, tokens: number): string {
  const chars = Math.max(0, Math.floor(tokens * CHARS_PER_TOKEN) - TRIM_MARK.length);
  const cut = text.slice(0, chars);
  const lastSpace = cut.lastIndexOf(" ");
  return `${lastSpace > chars * 0.8 ? cut.slice(0, lastSpace) : cut}${TRIM_MARK}`;
}

/** Ollama's prompt_eval_count shows a cut when the prompt filled the whole context window. */
export function promptWasCut(promptTokens: number, numCtx: number): boolean {
  return promptTokens >= numCtx * 0.98;
}

/**
 * The earlier turns of a thread that fit beside the question: the oldest go first, and the
 * newest answer is trimmed when even it alone does not fit.
 */
export function fitContext<T extends { question: string; answer: string }>(turns: readonly T[], question: string, numCtx: number, numPredict: number): T[] {
  const budget = numCtx - numPredict - estimateTokens(question) - 2 * TEMPLATE_MARGIN_TOKENS;
  const kept: T[] = [];
  let used = 0;
  for (const turn of [...turns].reverse()) {
    const size = estimateTokens(turn.question) + estimateTokens(turn.answer);
    if (used + size > budget) {
      if (kept.length === 0 && budget > estimateTokens(turn.question)) {
        kept.push({ ...turn, answer: trimTo(turn.answer, budget - estimateTokens(turn.question)) });
      }
      break;
    }
    kept.push(turn);
    used += size;
  }
  return kept.reverse();
}
