import type { CouncilEvent } from "../council/events.js";
import { type DeliberationView, emptyView, reduce } from "../council/view.js";
import type { MemberRecord } from "./council-record.js";
import type { CouncilStore } from "./council-store.js";
import { peerReviewOf } from "./peer-review.js";

// Writes a council to the store as it goes, without changing what it reports: the events pass
// through untouched, and the record is written when a stage completes (the answers, the
// review, the end), so a crash loses at most the stage that was running.

export async function* recordEvents(events: AsyncIterable<CouncilEvent>, store: CouncilStore, id: string): AsyncGenerator<CouncilEvent> {
  let view = emptyView();
  for await (const event of events) {
    // Streamed text is not recorded (the whole answer and verdict come in their own events),
    // and folding every token would copy the view once per token.
    if (event.type !== "member-delta" && event.type !== "verdict-delta") view = reduce(view, event);
    write(store, id, event, view);
    yield event;
  }
}

function write(store: CouncilStore, id: string, event: CouncilEvent, view: DeliberationView): void {
  switch (event.type) {
    case "council-started":
      return store.started(id, membersOf(view));
    case "stage-finished":
      if (event.stage === "answers" || event.stage === "debate") store.answers(id, membersOf(view));
      return;
    case "ranking":
      return store.review(id, view.ballots, view.ranking, peerReviewOf(view.members, view.ballots, view.ranking));
    case "call-finished": {
      const { stats } = event;
      return store.call(id, {
        ...(event.member !== undefined && { member: event.member }),
        model: stats.model,
        stage: stats.stage,
        startMs: stats.startMs,
        ...(stats.firstTokenMs !== undefined && { firstTokenMs: stats.firstTokenMs }),
        wallMs: stats.wallMs,
        promptTokens: stats.promptTokens,
        completionTokens: stats.completionTokens,
        evalMs: stats.evalMs,
      });
    }
    case "call-failed":
      return store.call(id, {
        ...(event.member !== undefined && { member: event.member }),
        model: event.model,
        stage: event.stage,
        startMs: event.startMs,
        wallMs: event.wallMs,
        promptTokens: 0,
        completionTokens: 0,
        evalMs: 0,
        failure: event.reason.kind,
      });
    case "council-finished":
    case "interrupted":
      return store.finished(id, {
        status: view.status === "running" ? "failed" : view.status,
        ...(view.reason && { reason: view.reason }),
        members: membersOf(view),
        ...(view.verdict && { verdict: { text: view.verdict.text, ...(view.verdict.by && { by: view.verdict.by }) } }),
        usage: view.usage,
        latency: view.latency,
      });
    default:
      return;
  }
}

function membersOf(view: DeliberationView): MemberRecord[] {
  return view.members.map((member) => ({
    name: member.name,
    model: member.model,
    status: member.status,
    ...(member.status === "answered" && { answer: member.text }),
    ...(member.error && { error: member.error }),
  }));
}
