import type { LlmErrorKind } from "../llm/errors.js";
import type { ReviewMode, Strategy, VoteSelection } from "./preset.js";
import type { CallStats, StageName, UsageSummary } from "./usage.js";

// What a deliberation reports as it goes, in order. Every front end folds these into the same
// view (view.ts); nothing here knows which platform asked.

export type CouncilStatus = "completed" | "partial" | "failed";

export interface FailureReason {
  /** An LLM error kind, or what the council itself decided ("deadline", "cancelled", "quorum"). */
  kind: LlmErrorKind | "deadline" | "cancelled" | "error";
  message: string;
}

/** One reviewer's verdict on the others, de-anonymised. Kept whole, so other rules can be recomputed. */
export interface Ballot {
  reviewer: string;
  /** An abstention carries no ranking and no scores: a score is never invented. */
  abstained: boolean;
  reason?: string;
  /** Best first, by member name. In pairwise mode: the reviewed members ordered by score. */
  ranking: string[];
  scores: Record<string, number>;
  critiques: Record<string, string>;
  /** The first answer was invalid and the repair attempt was valid. */
  repaired: boolean;
}

export interface RankingRow {
  member: string;
  position: number;
  /** Average normalised Borda points over the ballots that ranked this member, in [0, 1]. */
  borda: number;
  /** Pairwise wins minus losses against every other member (the first tie-break). */
  copeland: number;
  /** Mean 1-10 score from the peers (the second tie-break); null when nobody scored it. */
  meanScore: number | null;
  /** How many ballots ranked this member. */
  votes: number;
}

export type VerdictSource =
  | { kind: "chairman"; model: string }
  | { kind: "top-ranked"; member: string; because?: string }
  | { kind: "only-answer"; member: string }
  | {
      kind: "majority";
      member: string;
      votes: number;
      of: number;
      weighted: boolean;
      /** More than half the votes are behind the answer; when not, it is only the most common one, and says so. */
      majority: boolean;
      /** How many members gave this answer (1: no two members agreed). */
      backers: number;
    }
  | {
      kind: "vote";
      selection: VoteSelection;
      /** Whose reply is shown: the first to give the winning answer, or the member chosen. */
      member: string;
      /** The winning final answer as extracted: "42", "B", "Paris". */
      answer: string;
      /** Samples behind it: over the whole council (plurality), or among the chosen member's own. */
      votes: number;
      of: number;
      /** votes / of. */
      confidence: number;
      /** Every final answer given over all the samples, most votes first. */
      split: Array<{ answer: string; votes: number }>;
    };

/** A file the council reads, as its card shows it. */
export interface FileShown {
  name: string;
  /** What its bytes are: "pdf", "csv", "png"... */
  type: string;
  size: number;
  pages?: number;
  /** A document's characters, and how many of them its extraction kept (FILE_MAX_CHARS). */
  characters?: { total: number; used: number };
  /** The document did not fit beside the question in the smallest context of the council's models: this much of it was sent. */
  cutToFit?: { keptCharacters: number; model: string; numCtx: number };
}

export type CouncilEvent =
  /** Not from the engine: the admission says the council waits, with this many to start before it. */
  | { type: "queued"; ahead: number }
  /** Not from the engine: the bot stopped (or restarted) before the council could finish. */
  | { type: "interrupted"; reason: string }
  | {
      type: "council-started";
      question: string;
      preset: string;
      strategy: Strategy;
      review: ReviewMode;
      debateRounds: number;
      members: Array<{ name: string; model: string }>;
      /** null when the strategy needs no chairman. */
      chairman: string | null;
      /** The stages this council plans to run, in order. */
      stages: StageName[];
    }
  /** The question's files, before any model reads them. */
  | { type: "attachments"; files: FileShown[] }
  /**
   * A member that can see described an image, so the members that cannot see, the reviewers and
   * the chairman read it too. `image` is its name for people; `sha256` says which image it is,
   * as names repeat (every screenshot pasted into Discord is "image.png").
   */
  | { type: "image-described"; image: string; sha256: string; member: string; model: string; text: string; wallMs: number; stats: CallStats }
  /** The description could not be written: the image goes only to the members that can see it. */
  | { type: "image-not-described"; image: string; member: string; model: string; reason: FailureReason }
  | { type: "stage-started"; stage: StageName; round?: number; expectedCalls: number }
  | { type: "member-delta"; stage: "answers" | "debate"; member: string; text: string }
  | { type: "member-answered"; stage: "answers" | "debate"; member: string; answer: string; stats: CallStats }
  | { type: "member-failed"; stage: "answers" | "debate"; member: string; error: FailureReason }
  | { type: "ballot"; ballot: Ballot }
  | { type: "ranking"; rows: RankingRow[]; consensus: number | null }
  | { type: "verdict-delta"; text: string }
  | { type: "verdict"; text: string; by: VerdictSource }
  | { type: "call-finished"; stats: CallStats; member?: string }
  /** A call that ended without an answer: where its time went, and why (the member's own failure event says what it cost). */
  | { type: "call-failed"; model: string; stage: StageName; member?: string; startMs: number; wallMs: number; reason: FailureReason }
  | { type: "warning"; stage: StageName; code: "context-trimmed" | "prompt-truncated" | "answer-cut"; message: string }
  | { type: "stage-finished"; stage: StageName; round?: number; wallMs: number }
  | {
      type: "council-finished";
      status: CouncilStatus;
      /** Why the council failed or is partial, in words for the user. */
      reason?: string;
      /** The council failed because its caller cancelled it (Ctrl-C, a deleted card): nothing went wrong. */
      cancelled?: true;
      usage: UsageSummary;
      latency: { totalMs: number; byStage: Partial<Record<StageName, number>> };
    };
