/** The most samples the equal-budget vote takes, however expensive the council is. */
export const MAX_BUDGET_SAMPLES = 32;

/**
 * How many times the best member is sampled so that its vote spends what the council spends:
 * the council's tokens per item over the member's tokens per answer, rounded, at least 1.
 */
export function budgetSamples(councilTokensPerItem: number, memberTokensPerAnswer: number): number {
  if (!(memberTokensPerAnswer > 0) || !Number.isFinite(councilTokensPerItem)) return 1;
  return Math.min(MAX_BUDGET_SAMPLES, Math.max(1, Math.round(councilTokensPerItem / memberTokensPerAnswer)));
}
