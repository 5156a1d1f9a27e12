/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson's score interval for a proportion: unlike the normal approximation it stays inside
 * [0, 1] and keeps its coverage at the 20 to 200 items an evaluation on local models can afford.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
