import type { Ballot, RankingRow } from "../council/events.js";

// A council's peer review in the models' names, small enough to read for every council of a
// year in a second: who each reviewer (by model) put above whom, how far each ballot agreed
// with the council's final order, and that order. The statistics read this, never the full
// ballots (their critiques) or the members (their answers). Member names are a preset's
// labels; ratings are of models, so a model seated twice under two names is one model.

export interface PeerReview {
  /** The council's final order of the reviewed members, as their models, best first. */
  placed: string[];
  /** How much the ballots agreed (Kendall's W), as the ranking reports it. */
  consensus: number | null;
  ballots: CompactBallot[];
}

export interface CompactBallot {
  /** The reviewer's model. */
  by: string;
  /** The reviewed members' models, best first; empty when the reviewer abstained. */
  order: string[];
  /** The 1-10 score of each model in `order`, null where none was given. */
  scores: Array<number | null>;
  /** The share of pairs this ballot ordered as the council's final order did; null under two ranked. */
  agreement: number | null;
  abstained?: true;
}

export function peerReviewOf(
  members: ReadonlyArray<{ name: string; model: string }>,
  ballots: readonly Ballot[],
  ranking: { rows: readonly RankingRow[]; consensus: number | null } | undefined,
): PeerReview {
  const modelOf = new Map(members.map((member) => [member.name, member.model]));
  const model = (name: string) => modelOf.get(name) ?? name;
  const position = new Map((ranking?.rows ?? []).map((row) => [row.member, row.position]));
  return {
    placed: [...(ranking?.rows ?? [])].sort((a, b) => a.position - b.position).map((row) => model(row.member)),
    consensus: ranking?.consensus ?? null,
    ballots: ballots.map((ballot) => ({
      by: model(ballot.reviewer),
      order: ballot.abstained ? [] : ballot.ranking.map(model),
      scores: ballot.abstained ? [] : ballot.ranking.map((name) => ballot.scores[name] ?? null),
      agreement: ballot.abstained ? null : agreementWith(ballot.ranking, position),
      ...(ballot.abstained && { abstained: true as const }),
    })),
  };
}

function agreementWith(order: readonly string[], position: ReadonlyMap<string, number>): number | null {
  let pairs = 0;
  let agreed = 0;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const above = position.get(order[i] ?? "");
      const below = position.get(order[j] ?? "");
      if (above === undefined || below === undefined || above === below) continue;
      pairs += 1;
      if (above < below) agreed += 1;
    }
  }
  return pairs === 0 ? null : agreed / pairs;
}
