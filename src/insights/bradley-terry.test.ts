import { describe, expect, it } from "vitest";
import { fitBradleyTerry } from "./bradley-terry.js";

const matrix = (rows: number[][]) => Float64Array.from(rows.flat());
const logs = (fit: { logStrengths: Float64Array }) => Array.from(fit.logStrengths);

describe("fitBradleyTerry", () => {
  it("gives two players the odds (wins + ½) : (losses + ½), the one-tie prior's closed form", () => {
    const fit = fitBradleyTerry(matrix([[0, 7], [3, 0]]), 2);
    const [a, b] = logs(fit) as [number, number];
    expect(fit.converged).toBe(true);
    expect(a - b).toBeCloseTo(Math.log(7.5 / 3.5), 9);
    expect(a + b).toBeCloseTo(0, 12);
  });

  it("keeps a player that never wins finite, at odds ½ : (losses + ½)", () => {
    const [a, b] = logs(fitBradleyTerry(matrix([[0, 0], [10, 0]]), 2)) as [number, number];
    expect(Number.isFinite(a)).toBe(true);
    expect(a - b).toBeCloseTo(Math.log(0.5 / 10.5), 9);
  });

  it("without a prior, recovers exactly the strengths whose expected wins the data equals", () => {
    // Strengths 4 : 2 : 1. Wins set to their expectation, N_ij · p_i / (p_i + p_j), which is
    // where the likelihood's gradient is zero, so the maximum-likelihood fit is 4 : 2 : 1.
    const wins = matrix([
      [0, 4, 4],
      [2, 0, 2],
      [1, 1, 0],
    ]);
    const fit = fitBradleyTerry(wins, 3, { priorTies: 0 });
    const centre = (Math.log(4) + Math.log(2) + Math.log(1)) / 3;
    logs(fit).forEach((log, i) => expect(log).toBeCloseTo([Math.log(4), Math.log(2), Math.log(1)][i]! - centre, 8));
  });

  it("sets two groups that never met level with each other through the prior, by hand", () => {
    // a beats b 3 : 1 and c beats d 3 : 1; no game across. By symmetry p_a = p_c = x and
    // p_b = p_d = 1/x. Each ordered pair holds 1/6 of a virtual win, so a's equation is
    // 3.5 = x · [(4 + 1/3)/(x + 1/x) + (1/3)/(2x) + (1/3)/(x + 1/x)], i.e. x² / (x² + 1) = 5/7:
    // a : b = x² = 2.5 (the data alone says 3).
    const [a, b, c, d] = logs(
      fitBradleyTerry(
        matrix([
          [0, 3, 0, 0],
          [1, 0, 0, 0],
          [0, 0, 0, 3],
          [0, 0, 1, 0],
        ]),
        4,
      ),
    ) as [number, number, number, number];
    expect(a - b).toBeCloseTo(Math.log(2.5), 8);
    expect(a).toBeCloseTo(c, 8);
    expect(b).toBeCloseTo(d, 8);
  });

  it("stops at the iteration cap and says it did not converge", () => {
    const fit = fitBradleyTerry(matrix([[0, 9], [1, 0]]), 2, { maxIterations: 1 });
    expect(fit).toMatchObject({ iterations: 1, converged: false });
    expect(fitBradleyTerry(matrix([[0, 9], [1, 0]]), 2).converged).toBe(true);
  });

  it("converges in fewer sweeps from a nearby start", () => {
    const wins = matrix([
      [0, 30, 40],
      [20, 0, 35],
      [10, 15, 0],
    ]);
    const cold = fitBradleyTerry(wins, 3);
    const warm = fitBradleyTerry(wins, 3, { start: cold.logStrengths });
    expect(warm.iterations).toBeLessThan(cold.iterations / 2);
    logs(warm).forEach((log, i) => expect(log).toBeCloseTo(cold.logStrengths[i]!, 8));
  });

  it("fits zero or one player trivially", () => {
    expect(logs(fitBradleyTerry(new Float64Array(0), 0))).toEqual([]);
    expect(logs(fitBradleyTerry(matrix([[0]]), 1))).toEqual([0]);
  });

  it("refuses a matrix of the wrong size, a negative count, or a winless player without a prior", () => {
    expect(() => fitBradleyTerry(new Float64Array(3), 2)).toThrow(/2 players has 4 entries, got 3/);
    expect(() => fitBradleyTerry(matrix([[0, -1], [1, 0]]), 2)).toThrow(/wins of player 0 over player 1 must be a finite number ≥ 0, got -1/);
    expect(() => fitBradleyTerry(matrix([[0, 0], [4, 0]]), 2, { priorTies: 0 })).toThrow(/player 0 never wins.*priorTies > 0/);
  });
});
