import type { Ballot, FailureReason, RankingRow } from "../council/events.js";
import type { StageName } from "../council/usage.js";

// One council as the statistics read it, kept beside the record in a narrow table: where its
// time and tokens went, call by call, and its peer review in its models' names. The statistics
// of a year of councils read this and nothing else, so it is small: models are named once and
// referred to by index, and calls and ballots are tuples. Never a question, an answer or a
// critique: statistics are shown to people who did not ask. Member names are a preset's labels;
// ratings are of models, so a model seated twice under two names is one model.

export interface CouncilSummary {
  /** Every model the council called, once; the tuples below refer to them by index. */
  models: string[];
  /** Wall time per stage. */
  stages: Partial<Record<StageName, number>>;
  calls: SummaryCall[];
  review?: SummaryReview;
}

/** [model, stage, failure kind or null, prompt tokens, completion tokens, eval ms, wall ms, ms to first token or null] */
export type SummaryCall = [number, StageName, FailureReason["kind"] | null, number, number, number, number, number | null];

export interface SummaryReview {
  /** The council's final order of the reviewed members' models, best first. */
  placed: number[];
  /** How much the ballots agreed (Kendall's W), as the ranking reports it. */
  consensus: number | null;
  /** [reviewer's model, the others best first, their 1-10 scores (null: none), agreement with `placed`'s order (null under two ranked)]; an abstention is [model, null]. */
  ballots: Array<[number, number[], Array<number | null>, number | null] | [number, null]>;
}

/** One model call of a council, answered or failed. */
export interface CallRecord {
  model: string;
  stage: StageName;
  /** The failure's kind; absent when the call was answered. */
  failure?: FailureReason["kind"];
  promptTokens: number;
  completionTokens: number;
  evalMs: number;
  wallMs: number;
  firstTokenMs?: number;
}

export interface SummaryInput {
  members: ReadonlyArray<{ name: string; model: string }>;
  calls: readonly CallRecord[];
  byStage: Partial<Record<StageName, number>>;
  ballots: readonly Ballot[];
  ranking?: { rows: readonly RankingRow[]; consensus: number | null };
}

export function summarizeCouncil(input: SummaryInput): CouncilSummary {
  const models: string[] = [];
  const indexOf = (model: string) => {
    const index = models.indexOf(model);
    return index === -1 ? models.push(model) - 1 : index;
  };
  const modelOf = new Map(input.members.map((member) => [member.name, member.model]));
  const member = (name: string) => indexOf(modelOf.get(name) ?? name);
  const calls = input.calls.map((call): SummaryCall => [
    indexOf(call.model),
    call.stage,
    call.failure ?? null,
    call.promptTokens,
    call.completionTokens,
    Math.round(call.evalMs),
    Math.round(call.wallMs),
    call.firstTokenMs === undefined ? null : Math.round(call.firstTokenMs),
  ]);
  // Whole milliseconds and three decimals: figures to read, and a year of summaries to parse.
  const stages = Object.fromEntries(Object.entries(input.byStage).map(([stage, ms]) => [stage, Math.round(ms)]));
  const summary: CouncilSummary = { models, stages, calls };
  if (input.ranking || input.ballots.length > 0) {
    const rows = input.ranking?.rows ?? [];
    const position = new Map(rows.map((row) => [row.member, row.position]));
    summary.review = {
      placed: [...rows].sort((a, b) => a.position - b.position).map((row) => member(row.member)),
      consensus: thousandths(input.ranking?.consensus ?? null),
      ballots: input.ballots.map((ballot) =>
        ballot.abstained
          ? [member(ballot.reviewer), null]
          : [member(ballot.reviewer), ballot.ranking.map(member), ballot.ranking.map((name) => ballot.scores[name] ?? null), agreementWith(ballot.ranking, position)],
      ),
    };
  }
  return summary;
}

/** The share of the ballot's pairs that the council's final order put the same way round. */
function agreementWith(order: readonly string[], position: ReadonlyMap<string, number>): number | null {
  let pairs = 0;
  let agreed = 0;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const above = position.get(order[i] ?? "");
      const below = position.get(order[j] ?? "");
      if (above === undefined || below === undefined) continue;
      pairs += 1;
      if (above < below) agreed += 1;
    }
  }
  return pairs === 0 ? null : thousandths(agreed / pairs);
}

function thousandths(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}
