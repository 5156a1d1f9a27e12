/**
 * McNemar's exact test on paired right/wrong outcomes: only the discordant items count (`b`:
 * right for A only, `c`: right for B only); under "no difference" each is a fair coin, so the
 * two-sided p-value is twice the binomial tail of the smaller count, capped at 1. Exact rather
 * than chi-squared, which misleads with the few discordant items a small evaluation has.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Terms in logs: 2^-n underflows past n = 1074.
  let logTerm = -n * Math.LN2;
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}
