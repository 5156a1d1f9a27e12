import type { Ballot, RankingRow } from "../src/council/events.js";
import type { StageName } from "../src/council/usage.js";
import type { CallRecord, RecordStatus } from "../src/store/council-record.js";
import type { CouncilStore } from "../src/store/council-store.js";
import { peerReviewOf } from "../src/store/peer-review.js";

// Councils written straight into a store, as recordEvents would have written them, from a
// compact description: for the statistics' tests and benchmark, which need many councils with
// figures chosen by hand.

export interface RecordedMember {
  name: string;
  model: string;
  /** The stage-1 call: answered with these figures, or failed with a kind. */
  answer: { wallMs: number; firstTokenMs?: number; promptTokens: number; completionTokens: number; evalMs: number } | { failure: string };
}

export interface RecordedCouncil {
  id: string;
  /** The store's clock when the council is created. */
  at: number;
  platform?: string;
  preset?: string;
  status?: Exclude<RecordStatus, "queued" | "running">;
  members: RecordedMember[];
  /** Reviewer name, then the others best first with their scores; `abstained` gives no order. */
  ballots?: Array<{ reviewer: string; ranking?: Array<[string, number]>; abstained?: true; wallMs?: number; completionTokens?: number }>;
  /** The final order by member name, best first, and the consensus. */
  ranking?: { order: string[]; consensus: number | null };
  byStage?: Partial<Record<StageName, number>>;
  chairman?: { model: string; wallMs: number; promptTokens: number; completionTokens: number; evalMs: number };
}

export function writeCouncil(store: CouncilStore, setClock: (at: number) => void, council: RecordedCouncil): void {
  setClock(council.at);
  store.create({ id: council.id, platform: council.platform ?? "discord", asker: "asker", question: "q?", preset: council.preset ?? "balanced" });
  const members = council.members.map((member) => ({
    name: member.name,
    model: member.model,
    status: "failure" in member.answer ? ("failed" as const) : ("answered" as const),
  }));
  store.started(council.id, members);
  for (const member of council.members) {
    const call: CallRecord =
      "failure" in member.answer
        ? { member: member.name, model: member.model, stage: "answers", startMs: 0, wallMs: 10, promptTokens: 0, completionTokens: 0, evalMs: 0, failure: member.answer.failure as CallRecord["failure"] }
        : { member: member.name, model: member.model, stage: "answers", startMs: 0, ...member.answer };
    store.call(council.id, call);
  }
  const modelOf = new Map(council.members.map((member) => [member.name, member.model]));
  const ballots: Ballot[] = (council.ballots ?? []).map((entry) => ({
    reviewer: entry.reviewer,
    abstained: entry.abstained ?? false,
    ranking: (entry.ranking ?? []).map(([name]) => name),
    scores: Object.fromEntries(entry.ranking ?? []),
    critiques: {},
    repaired: false,
  }));
  for (const entry of council.ballots ?? []) {
    const model = modelOf.get(entry.reviewer) ?? entry.reviewer;
    store.call(council.id, { member: entry.reviewer, model, stage: "review", startMs: 100, wallMs: entry.wallMs ?? 1000, promptTokens: 200, completionTokens: entry.completionTokens ?? 50, evalMs: 500 });
  }
  if (council.ranking) {
    const rows: RankingRow[] = council.ranking.order.map((member, i) => ({ member, position: i + 1, borda: 0, copeland: 0, meanScore: null, votes: 1 }));
    const ranking = { rows, consensus: council.ranking.consensus };
    store.review(council.id, ballots, ranking, peerReviewOf(members, ballots, ranking));
  }
  if (council.chairman) store.call(council.id, { stage: "synthesis", startMs: 200, ...council.chairman });
  const byStage = council.byStage ?? {};
  store.finished(council.id, {
    status: council.status ?? "completed",
    members,
    latency: { totalMs: Object.values(byStage).reduce((sum, ms) => sum + ms, 0), byStage },
  });
}
