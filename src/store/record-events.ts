import type { CouncilEvent } from "../council/events.js";
import { type DeliberationView, emptyView, reduce } from "../council/view.js";
import type { MemberRecord } from "./council-record.js";
import type { CouncilStore } from "./council-store.js";
import { type CallRecord, summarizeCouncil } from "./council-summary.js";

// Writes a council to the store as it goes, without changing what it reports: the events pass
// through untouched, and the record is written when a stage completes (the answers, the
// review, the end), so a crash loses at most the stage that was running.

export async function* recordEvents(events: AsyncIterable<CouncilEvent>, store: CouncilStore, id: string): AsyncGenerator<CouncilEvent> {
  let view = emptyView();
  const calls: CallRecord[] = [];
  for await (const event of events) {
    // Streamed text is not recorded (the whole answer and verdict come in their own events),
    // and folding every token would copy the view once per token.
    if (event.type !== "member-delta" && event.type !== "verdict-delta") view = reduce(view, event);
    const call = callRecord(event);
    if (call) calls.push(call);
    write(store, id, event, view, calls);
    yield event;
  }
}

function write(store: CouncilStore, id: string, event: CouncilEvent, view: DeliberationView, calls: readonly CallRecord[]): void {
  switch (event.type) {
    case "council-started":
      return store.started(id, membersOf(view));
    case "stage-finished":
      if (event.stage === "answers" || event.stage === "debate") store.answers(id, membersOf(view));
      return;
    case "ranking":
      return store.review(id, view.ballots, view.ranking);
    case "image-described":
      // What a follow-up in the thread gets of the image, whose bytes are not kept.
      return store.imageDescribed(id, event.sha256, event.text);
    case "council-finished":
    case "interrupted":
      return store.finished(id, {
        status: view.status === "running" ? "failed" : view.status,
        ...(view.reason && { reason: view.reason }),
        members: membersOf(view),
        ...(view.verdict && { verdict: { text: view.verdict.text, ...(view.verdict.by && { by: view.verdict.by }) } }),
        usage: view.usage,
        latency: view.latency,
        ...(view.members.length > 0 && {
          summary: summarizeCouncil({ members: view.members, calls, byStage: view.latency.byStage, ballots: view.ballots, ...(view.ranking && { ranking: view.ranking }) }),
        }),
      });
    default:
      return;
  }
}

function callRecord(event: CouncilEvent): CallRecord | undefined {
  if (event.type === "call-finished") {
    const { model, stage, promptTokens, completionTokens, evalMs, wallMs, firstTokenMs } = event.stats;
    return { model, stage, promptTokens, completionTokens, evalMs, wallMs, ...(firstTokenMs !== undefined && { firstTokenMs }) };
  }
  if (event.type === "call-failed") {
    return { model: event.model, stage: event.stage, failure: event.reason.kind, promptTokens: 0, completionTokens: 0, evalMs: 0, wallMs: event.wallMs };
  }
  return undefined;
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
