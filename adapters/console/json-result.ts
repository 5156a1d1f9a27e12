import type { Ballot, FailureReason, VerdictSource } from "../../src/council/events.js";
import type { ReviewMode, Strategy } from "../../src/council/preset.js";
import type { CallStats, StageName, UsageSummary } from "../../src/council/usage.js";
import type { DeliberationView, MemberStatus } from "../../src/council/view.js";

// `npx council --json`: the whole council as one object for scripts. Every number says
// which calls it counts: a member's own numbers are its answer call only; the top-level
// usage counts every call (answers, revisions, ballots, the chairman).

export interface CouncilJson {
  question: string;
  preset: string;
  strategy: Strategy;
  review: ReviewMode;
  /** "cancelled" after Ctrl-C; "running" only when the council was cut off before it could even say so. */
  status: DeliberationView["status"] | "cancelled";
  /** Why the council is partial or failed, in words for the user. */
  reason?: string;
  members: CouncilJsonMember[];
  /** One per reviewer, de-anonymised: ranking (member names, best first), 1-10 scores and critiques by member name. */
  ballots: Ballot[];
  /** Best first; empty when no ranking was made (fewer than two answers, or no valid ballot). */
  ranking: CouncilJsonRankingRow[];
  /** How far the ballots agree with the council's order, 0 to 1; null when no ballot ordered two members. */
  consensus: number | null;
  verdict: { text: string; by: VerdictSource | null } | null;
  warnings: string[];
  /**
   * Every model call of the council (answers, revisions, ballots, the chairman), in total, by
   * stage and by model. tokensPerSecond is completion tokens over Ollama's generation time.
   */
  usage: UsageSummary;
  /** Wall times in whole milliseconds. */
  latency: {
    /** The whole council; null when it did not finish. */
    totalMs: number | null;
    /** Each stage (debate rounds added up). */
    byStage: Partial<Record<StageName, number>>;
  };
}

export interface CouncilJsonMember {
  name: string;
  model: string;
  /** "thinking" only when the council was cut off before this member finished. */
  status: MemberStatus;
  /** The final answer: the revised one after a debate round. */
  answer?: string;
  revised: boolean;
  error?: FailureReason;
  /** Tokens of the call that produced `answer` (reviews and earlier drafts not included); null without an answer. */
  usage: { promptTokens: number; completionTokens: number } | null;
  /** Wall time of the call that produced `answer`, in whole milliseconds; null without an answer. */
  latencyMs: number | null;
}

export interface CouncilJsonRankingRow {
  name: string;
  position: number;
  /**
   * Borda points over the ballots that ranked this member, normalised to 0..1. The position
   * follows it in ranking review; in pairwise review the mean score comes first.
   */
  score: number;
  /** Mean 1-10 score from the peers; null when none scored it. */
  meanScore: number | null;
  /** How many ballots ranked this member. */
  votes: number;
}

/**
 * The JSON result from the final view and, per member, the stats of the call that produced
 * its answer (the view keeps only their completion tokens and wall time).
 */
export function toCouncilJson(view: DeliberationView, answerCalls: ReadonlyMap<string, CallStats>): CouncilJson {
  return {
    question: view.question,
    preset: view.preset,
    strategy: view.strategy,
    review: view.review,
    status: view.cancelled ? "cancelled" : view.status,
    ...(view.reason !== undefined && !view.cancelled && { reason: view.reason }),
    members: view.members.map((member) => {
      const call = member.status === "answered" ? answerCalls.get(member.name) : undefined;
      return {
        name: member.name,
        model: member.model,
        status: member.status,
        ...(member.status === "answered" && { answer: member.text }),
        revised: member.revised,
        ...(member.error && { error: member.error }),
        usage: call ? { promptTokens: call.promptTokens, completionTokens: call.completionTokens } : null,
        latencyMs: call ? Math.round(call.wallMs) : null,
      };
    }),
    ballots: view.ballots,
    ranking: (view.ranking?.rows ?? []).map((row) => ({
      name: row.member,
      position: row.position,
      score: row.borda,
      meanScore: row.meanScore,
      votes: row.votes,
    })),
    consensus: view.ranking?.consensus ?? null,
    verdict: view.verdict ? { text: view.verdict.text, by: view.verdict.by ?? null } : null,
    warnings: view.warnings,
    usage: view.usage,
    latency: {
      totalMs: view.latency.totalMs === undefined ? null : Math.round(view.latency.totalMs),
      byStage: Object.fromEntries(Object.entries(view.latency.byStage).map(([stage, ms]) => [stage, Math.round(ms)])),
    },
  };
}
