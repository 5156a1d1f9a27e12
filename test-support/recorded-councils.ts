import type { Ballot, RankingRow } from "../src/council/events.js";
import type { StageName } from "../src/council/usage.js";
import type { RecordStatus } from "../src/store/council-record.js";
import type { CouncilStore } from "../src/store/council-store.js";
import { type CallRecord, summarizeCouncil } from "../src/store/council-summary.js";

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
  const modelOf = new Map(council.members.map((member) => [member.name, member.model]));
  const calls: CallRecord[] = council.members.map((member) =>
    "failure" in member.answer
      ? { model: member.model, stage: "answers", wallMs: 10, promptTokens: 0, completionTokens: 0, evalMs: 0, failure: member.answer.failure as CallRecord["failure"] }
      : { model: member.model, stage: "answers", ...member.answer },
  );
  const ballots: Ballot[] = (council.ballots ?? []).map((entry) => {
    calls.push({ model: modelOf.get(entry.reviewer) ?? entry.reviewer, stage: "review", wallMs: entry.wallMs ?? 1000, promptTokens: 200, completionTokens: entry.completionTokens ?? 50, evalMs: 500 });
    return {
      reviewer: entry.reviewer,
      abstained: entry.abstained ?? false,
      ranking: (entry.ranking ?? []).map(([name]) => name),
      scores: Object.fromEntries(entry.ranking ?? []),
      critiques: {},
      repaired: false,
    };
  });
  const ranking = council.ranking && {
    rows: council.ranking.order.map((member, i): RankingRow => ({ member, position: i + 1, borda: 0, copeland: 0, meanScore: null, votes: 1 })),
    consensus: council.ranking.consensus,
  };
  if (ranking) store.review(council.id, ballots, ranking);
  if (council.chairman) calls.push({ stage: "synthesis", ...council.chairman });
  const byStage = council.byStage ?? {};
  store.finished(council.id, {
    status: council.status ?? "completed",
    members,
    latency: { totalMs: Object.values(byStage).reduce((sum, ms) => sum + ms, 0), byStage },
    summary: summarizeCouncil({ members, calls, byStage, ballots, ...(ranking && { ranking }) }),
  });
}
