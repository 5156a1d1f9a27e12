import type { Ballot, CouncilEvent, CouncilStatus, FailureReason, FileShown, RankingRow, VerdictSource } from "./events.js";
import type { ReviewMode, Strategy } from "./preset.js";
import { type CallStats, type StageName, summarize, type UsageSummary } from "./usage.js";

// The deliberation view: everything a front end shows, folded from the events by a pure
// reducer. Discord, Slack and the terminal render this and nothing else.

export type MemberStatus = "thinking" | "answered" | "failed";

export interface MemberView {
  name: string;
  model: string;
  status: MemberStatus;
  /** The answer so far (while thinking), or the final one. */
  text: string;
  error?: FailureReason;
  wallMs?: number;
  completionTokens?: number;
  /** Revised in a debate round. */
  revised: boolean;
}

export interface StageView {
  name: StageName;
  status: "pending" | "running" | "done";
  round?: number;
  expectedCalls: number;
  doneCalls: number;
  wallMs?: number;
}

export interface DeliberationView {
  question: string;
  preset: string;
  strategy: Strategy;
  review: ReviewMode;
  chairman: string | null;
  status: "running" | CouncilStatus | "interrupted";
  reason?: string;
  /** Failed because its caller cancelled it, not because anything went wrong. */
  cancelled?: true;
  /** While the council waits for its turn: how many start before it. */
  queue?: { ahead: number };
  /** The question's files. */
  files: FileShown[];
  /** The images' descriptions, written before the answers by a member that can see. */
  descriptions: DescriptionView[];
  stages: StageView[];
  members: MemberView[];
  ballots: Ballot[];
  ranking?: { rows: RankingRow[]; consensus: number | null };
  verdict?: { text: string; by?: VerdictSource; streaming: boolean };
  warnings: string[];
  calls: CallStats[];
  /** Every model call, answered or failed, in the order they ended: where the time went. */
  timeline: TimelineCall[];
  usage: UsageSummary;
  latency: { totalMs?: number; byStage: Partial<Record<StageName, number>> };
}

export type DescriptionView =
  | { image: string; member: string; model: string; wallMs: number }
  | { image: string; member: string; model: string; failure: FailureReason };

export interface TimelineCall {
  /** The member it was for; absent for the chairman's call. */
  member?: string;
  model: string;
  stage: StageName;
  /** From the council's start. */
  startMs: number;
  /** From the call's start. */
  firstTokenMs?: number;
  wallMs: number;
  failure?: FailureReason;
}

export function emptyView(question = ""): DeliberationView {
  return {
    question,
    preset: "",
    strategy: "synthesis",
    review: "ranking",
    chairman: null,
    status: "running",
    files: [],
    descriptions: [],
    stages: [],
    members: [],
    ballots: [],
    warnings: [],
    calls: [],
    timeline: [],
    usage: summarize([]),
    latency: { byStage: {} },
  };
}

export function reduce(view: DeliberationView, event: CouncilEvent): DeliberationView {
  switch (event.type) {
    case "queued":
      return { ...view, queue: { ahead: event.ahead } };
    case "interrupted": {
      const { queue: _waited, ...rest } = view;
      return { ...rest, status: "interrupted", reason: event.reason };
    }
    case "council-started":
      return {
        ...emptyView(event.question),
        preset: event.preset,
        strategy: event.strategy,
        review: event.review,
        chairman: event.chairman,
        stages: event.stages.map((name) => ({ name, status: "pending", expectedCalls: 0, doneCalls: 0 })),
        members: event.members.map((member) => ({ ...member, status: "thinking", text: "", revised: false })),
      };
    case "attachments":
      return { ...view, files: event.files };
    case "image-described":
      return { ...view, descriptions: [...view.descriptions, { image: event.image, member: event.member, model: event.model, wallMs: event.wallMs }] };
    case "image-not-described":
      return { ...view, descriptions: [...view.descriptions, { image: event.image, member: event.member, model: event.model, failure: event.reason }] };
    case "stage-started":
      return updateStage(view, event.stage, () => ({
        status: "running",
        round: event.round,
        expectedCalls: event.expectedCalls,
        doneCalls: 0,
      }));
    case "member-delta":
      return updateMember(view, event.member, (member) => ({
        status: "thinking",
        // A debate round starts the member's text afresh.
        text: event.stage === "debate" && member.status === "answered" ? event.text : member.text + event.text,
      }));
    case "member-answered":
      return countCall(
        updateMember(view, event.member, () => ({
          status: "answered",
          text: event.answer,
          wallMs: event.stats.wallMs,
          completionTokens: event.stats.completionTokens,
          ...(event.stage === "debate" && { revised: true }),
        })),
        event.stage,
      );
    case "member-failed":
      return countCall(
        updateMember(view, event.member, (member) =>
          // A failed revision leaves the member's earlier answer standing.
          event.stage === "debate" && member.status === "answered" ? {} : { status: "failed", error: event.error },
        ),
        event.stage,
      );
    case "ballot":
      return countCall({ ...view, ballots: [...view.ballots, event.ballot] }, "review");
    case "ranking":
      return { ...view, ranking: { rows: event.rows, consensus: event.consensus } };
    case "verdict-delta":
      return { ...view, verdict: { text: (view.verdict?.text ?? "") + event.text, streaming: true } };
    case "verdict":
      return countCall({ ...view, verdict: { text: event.text, by: event.by, streaming: false } }, "synthesis");
    case "call-finished": {
      const calls = [...view.calls, event.stats];
      const { model, stage, startMs, firstTokenMs, wallMs } = event.stats;
      const call = { ...(event.member !== undefined && { member: event.member }), model, stage, startMs, ...(firstTokenMs !== undefined && { firstTokenMs }), wallMs };
      return { ...view, calls, usage: summarize(calls), timeline: [...view.timeline, call] };
    }
    case "call-failed": {
      const { member, model, stage, startMs, wallMs, reason } = event;
      return { ...view, timeline: [...view.timeline, { ...(member !== undefined && { member }), model, stage, startMs, wallMs, failure: reason }] };
    }
    case "warning":
      return { ...view, warnings: [...view.warnings, event.message] };
    case "stage-finished":
      return {
        ...updateStage(view, event.stage, () => ({ status: "done", wallMs: event.wallMs })),
        latency: { ...view.latency, byStage: { ...view.latency.byStage, [event.stage]: (view.latency.byStage[event.stage] ?? 0) + event.wallMs } },
      };
    case "council-finished":
      return {
        ...view,
        status: event.status,
        reason: event.reason,
        ...(event.cancelled && { cancelled: event.cancelled }),
        usage: event.usage,
        latency: event.latency,
        stages: view.stages.map((stage) => (stage.status === "running" ? { ...stage, status: "done" } : stage)),
      };
  }
}

function updateMember(view: DeliberationView, name: string, change: (member: MemberView) => Partial<MemberView>): DeliberationView {
  return { ...view, members: view.members.map((member) => (member.name === name ? { ...member, ...change(member) } : member)) };
}

// A debate stage appears once per round in the plan; the running (or next pending) one is meant.
function updateStage(view: DeliberationView, name: StageName, change: (stage: StageView) => Partial<StageView>): DeliberationView {
  const index = view.stages.findIndex((stage) => stage.name === name && stage.status !== "done");
  if (index === -1) return view;
  return { ...view, stages: view.stages.map((stage, i) => (i === index ? { ...stage, ...change(stage) } : stage)) };
}

function countCall(view: DeliberationView, name: StageName): DeliberationView {
  return updateStage(view, name, (stage) => ({ doneCalls: stage.doneCalls + 1 }));
}
