// Bradley–Terry: player i beats player j with probability p_i / (p_i + p_j). The strengths are
// fitted by Hunter's MM algorithm ("MM algorithms for generalized Bradley–Terry models", Annals
// of Statistics, 2004): each player in turn is set to
//     p_i ← W_i / Σ_j N_ij / (p_i + p_j)
// (W_i: i's wins, N_ij: comparisons of i with j), a step that never lowers the likelihood, so the
// iteration climbs to the maximum without step sizes or matrix inversions. Only ratios of
// strengths matter, so after each sweep they are rescaled to a geometric mean of 1.
//
// The prior. With plain maximum likelihood a player that never wins has strength 0 (one that
// always wins, infinity), and players in two groups that never met have no common scale. So
// each player gets one virtual tie (half a win, half a loss) spread evenly over the other
// players. That makes every pair linked and every estimate finite, and a group with no evidence
// against another sits level with it. The prior does not grow with the number of players, and
// its weight is that of a single comparison: a player winning 750 of 1000 comparisons is
// estimated at 750.5 : 250.5 odds instead of 3 : 1, a quarter of an Elo point; for two players the fit
// is exactly (wins + ½) : (losses + ½), the usual continuity correction.

/** Virtual ties per player that keep the estimates finite (see above). */
export const DEFAULT_PRIOR_TIES = 1;

export interface BradleyTerryOptions {
  /** Virtual ties per player, spread over the others. 0 is plain maximum likelihood, only finite when every player wins and loses along a chain to every other. */
  priorTies?: number;
  /** Stop when no log-strength moves more than this in a sweep. */
  tolerance?: number;
  maxIterations?: number;
  /** Log-strengths to start from (the bootstrap starts each replicate at the point estimate). */
  start?: Float64Array;
}

export interface BradleyTerryFit {
  /** Natural-log strengths, centred on 0 (strengths with a geometric mean of 1). */
  logStrengths: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Fits strengths to a win matrix: `wins[i * size + j]` is how often player i beat player j
 * (a tie counts half to each side). Non-negative, finite entries; the diagonal is ignored.
 */
export function fitBradleyTerry(wins: Float64Array, size: number, options: BradleyTerryOptions = {}): BradleyTerryFit {
  const { priorTies = DEFAULT_PRIOR_TIES, tolerance = 1e-10, maxIterations = 10_000, start } = options;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`the number of players must be a non-negative integer, got ${size}`);
  if (wins.length !== size * size) throw new RangeError(`a win matrix for ${size} players has ${size * size} entries, got ${wins.length}`);
  if (!(priorTies >= 0) || !Number.isFinite(priorTies)) throw new RangeError(`priorTies must be a finite number ≥ 0, got ${priorTies}`);
  if (start && start.length !== size) throw new RangeError(`start has ${start.length} log-strengths for ${size} players`);

  // Every ordered pair gets the same share of the prior, so each player has priorTies / 2
  // virtual wins and as many virtual losses.
  const virtualWins = size > 1 ? priorTies / 2 / (size - 1) : 0;
  const totalWins = new Float64Array(size);
  const comparisons = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      if (i === j) continue;
      const won = wins[i * size + j] as number;
      if (!(won >= 0) || !Number.isFinite(won)) throw new RangeError(`wins of player ${i} over player ${j} must be a finite number ≥ 0, got ${won}`);
      totalWins[i] = (totalWins[i] as number) + won + virtualWins;
      comparisons[i * size + j] = won + (wins[j * size + i] as number) + 2 * virtualWins;
    }
  }
  if (size > 1) {
    const winless = totalWins.findIndex((won) => won === 0);
    if (winless >= 0) throw new RangeError(`player ${winless} never wins, so its maximum-likelihood strength is 0: fit with priorTies > 0`);
  }

  const strengths = new Float64Array(size);
  const logs = new Float64Array(size);
  const startMean = start && size > 0 ? start.reduce((sum, log) => sum + log, 0) / size : 0;
  for (let i = 0; i < size; i++) {
    logs[i] = (start?.[i] ?? 0) - startMean;
    strengths[i] = Math.exp(logs[i] as number);
  }
  let iterations = 0;
  let converged = size <= 1;
  while (!converged && iterations < maxIterations) {
    iterations += 1;
    for (let i = 0; i < size; i++) {
      const own = strengths[i] as number;
      let denominator = 0;
      for (let j = 0; j < size; j++) {
        if (j !== i) denominator += (comparisons[i * size + j] as number) / (own + (strengths[j] as number));
      }
      strengths[i] = (totalWins[i] as number) / denominator;
    }
    let meanLog = 0;
    for (let i = 0; i < size; i++) meanLog += Math.log(strengths[i] as number);
    meanLog /= size;
    let largestMove = 0;
    for (let i = 0; i < size; i++) {
      const log = Math.log(strengths[i] as number) - meanLog;
      largestMove = Math.max(largestMove, Math.abs(log - (logs[i] as number)));
      logs[i] = log;
      strengths[i] = Math.exp(log);
    }
    converged = largestMove < tolerance;
  }
  return { logStrengths: logs, iterations, converged };
}
