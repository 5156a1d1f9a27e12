import type { Ballot, RankingRow } from "./events.js";

// Small judges rank better than they score, so the ballots' rankings decide (Borda over
// non-self votes, normalised because an abstention leaves some members with fewer ballots),
// pairwise wins break ties, and the 1-10 scores come last. In pairwise review mode, where each
// call scores one answer, the mean score decides instead. Every ballot is kept by the caller.

export type RankingMethod = "borda" | "mean-score";

export interface Aggregate {
  rows: RankingRow[];
  /** Agreement of the ballots with the council's order, in [0, 1]; null when no ballot orders two members. */
  consensus: number | null;
}

export function aggregate(candidates: readonly string[], ballots: readonly Ballot[], method: RankingMethod = "borda"): Aggregate {
  const counted = ballots.filter((ballot) => !ballot.abstained);
  const rows = candidates.map((member) => measure(member, candidates, counted));
  const byBorda = (a: RankingRow, b: RankingRow) => b.borda - a.borda;
  const byCopeland = (a: RankingRow, b: RankingRow) => b.copeland - a.copeland;
  const byScore = (a: RankingRow, b: RankingRow) => (b.meanScore ?? 0) - (a.meanScore ?? 0);
  const order = method === "borda" ? [byBorda, byCopeland, byScore] : [byScore, byCopeland, byBorda];
  const sorted = [...rows].sort((a, b) => {
    for (const compare of order) {
      const difference = compare(a, b);
      if (difference !== 0) return difference;
    }
    return candidates.indexOf(a.member) - candidates.indexOf(b.member);
  });
  const ranked = sorted.map((row, index) => ({ ...row, position: index + 1 }));
  return { rows: ranked, consensus: consensus(ranked.map((row) => row.member), counted) };
}

function measure(member: string, candidates: readonly string[], ballots: readonly Ballot[]): RankingRow {
  let points = 0;
  let votes = 0;
  const scores: number[] = [];
  for (const ballot of ballots) {
    const position = ballot.ranking.indexOf(member);
    if (position >= 0) {
      const others = ballot.ranking.length - 1;
      // A ballot with one candidate says nothing about order: it counts as neutral.
      points += others === 0 ? 0.5 : (others - position) / others;
      votes += 1;
    }
    const score = ballot.scores[member];
    if (score !== undefined) scores.push(score);
  }
  let copeland = 0;
  for (const rival of candidates) {
    if (rival === member) continue;
    const margin = pairwiseMargin(member, rival, ballots);
    copeland += Math.sign(margin);
  }
  return {
    member,
    position: 0,
    borda: votes > 0 ? round(points / votes) : 0,
    copeland,
    meanScore: scores.length > 0 ? round(scores.reduce((sum, value) => sum + value, 0) / scores.length) : null,
    votes,
  };
}

/** Ballots placing `a` above `b`, minus ballots placing `b` above `a`. */
function pairwiseMargin(a: string, b: string, ballots: readonly Ballot[]): number {
  let margin = 0;
  for (const ballot of ballots) {
    const positionA = ballot.ranking.indexOf(a);
    const positionB = ballot.ranking.indexOf(b);
    if (positionA >= 0 && positionB >= 0) margin += positionA < positionB ? 1 : -1;
  }
  return margin;
}

// Each reviewer saw a different subset (never itself), so Kendall's W, which needs every judge
// to rank every item, does not apply. Instead: Kendall's tau between each ballot and the
// council's order on that ballot's members, mapped to [0, 1] and averaged.
function consensus(order: readonly string[], ballots: readonly Ballot[]): number | null {
  const agreements: number[] = [];
  for (const ballot of ballots) {
    if (ballot.ranking.length < 2) continue;
    let concordant = 0;
    let pairs = 0;
    for (let i = 0; i < ballot.ranking.length; i++) {
      for (let j = i + 1; j < ballot.ranking.length; j++) {
        pairs += 1;
        if (order.indexOf(ballot.ranking[i] ?? "") < order.indexOf(ballot.ranking[j] ?? "")) concordant += 1;
      }
    }
    agreements.push(concordant / pairs);
  }
  if (agreements.length === 0) return null;
  return round(agreements.reduce((sum, value) => sum + value, 0) / agreements.length);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
