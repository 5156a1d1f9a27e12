import type { FailureReason } from "./events.js";
import { voteKey } from "./final-answer.js";
import type { MemberSpec, VoteSelection, VoteSettings } from "./preset.js";
import type { ChatRequest } from "../llm/port.js";
import { chatOptions, KEEP_ALIVE, memberAnswerMessages, openStage, type Session, type StageHandle } from "./session.js";
import type { Verdict } from "./stage-verdict.js";

// `vote`: self-consistency across the council. Each member answers several times and the final
// answers are counted; there is no review and no chairman. With small models, voting accounts
// for most of what discussion gains (arXiv 2508.17536) and sampling a model several times is a
// strong baseline (arXiv 2203.11171), while a small judge's review adds its biases.

export const DEFAULT_VOTE: VoteSettings = { samples: 3, temperature: 0.7, selection: "plurality" };

/** Each member's answers, in sample order; a failed sample is left out, a member with none is absent. */
export type MemberSamples = Map<string, string[]>;

export function voteSettings(session: Pick<Session, "preset">): VoteSettings {
  return session.preset.vote ?? DEFAULT_VOTE;
}

/**
 * Stage 1 of `vote`: every member's samples at once. Sample 0 is the member's usual answer (the
 * very request stage 1 of the other strategies sends, streamed to the card); samples 1… are
 * drawn at the vote's temperature with seeds 1…, so a rerun on the same models gives the same
 * vote (and the evaluation can share the first sample with the other strategies).
 */
export async function sampleMembers(session: Session): Promise<MemberSamples> {
  const { samples } = voteSettings(session);
  const members = session.preset.members;
  const stage = openStage(session, "answers", members.length * samples);
  const replies = await Promise.all(
    members.map(async (member) => {
      const settled = await Promise.all(Array.from({ length: samples }, (_, index) => askSample(session, stage, member, index)));
      const texts = settled.flatMap((one) => ("text" in one ? [one.text] : []));
      report(session, member, texts, settled);
      return [member.name, texts] as const;
    }),
  );
  stage.close();
  return new Map(replies.filter(([, texts]) => texts.length > 0));
}

/** The request for a member's sample `index`: its usual one for 0, else seeded at the vote's temperature. */
function sampleRequest(session: Session, member: MemberSpec, index: number): ChatRequest {
  const numPredict = session.preset.limits.numPredict.answer;
  const options =
    index === 0 ? chatOptions(session, member.model, numPredict, member.temperature) : { ...chatOptions(session, member.model, numPredict, voteSettings(session).temperature), seed: index };
  return { model: member.model, messages: memberAnswerMessages(session, member, numPredict), options, keepAlive: KEEP_ALIVE };
}

type SampleOutcome = { text: string; cut: boolean } | { failure: FailureReason };

/** One sample, accounted in `stage`; sample 0 streams to the card. */
async function askSample(session: Session, stage: StageHandle, member: MemberSpec, index: number): Promise<SampleOutcome> {
  const onDelta = (text: string) => session.emit({ type: "member-delta", stage: "answers", member: member.name, text });
  const outcome = await stage.call(session.members, sampleRequest(session, member, index), { member: member.name, ...(index === 0 && { onDelta }) });
  const text = outcome.ok ? outcome.text.trim() : "";
  if (outcome.ok && text) {
    session.emit({ type: "member-answered", stage: "answers", member: member.name, answer: text, stats: outcome.stats });
    return { text, cut: outcome.stats.doneReason === "length" };
  }
  return { failure: outcome.ok ? { kind: "bad-response", message: `${member.model} gave an empty answer` } : outcome.reason };
}

function report(session: Session, member: MemberSpec, texts: readonly string[], settled: readonly SampleOutcome[]): void {
  const failure = settled.flatMap((one) => ("failure" in one ? [one.failure] : []))[0];
  if (texts.length === 0 && failure) {
    session.emit({ type: "member-failed", stage: "answers", member: member.name, error: failure });
    session.failures.push({ member: member.name, reason: failure });
  }
  if (settled.some((one) => "cut" in one && one.cut)) {
    session.emit({
      type: "warning",
      stage: "answers",
      code: "answer-cut",
      message: `some of ${member.name}'s answers reached their limit of tokens and were cut, so their final answer may be missing; raise numPredict.answer in the preset`,
    });
  }
}

interface Group {
  key: string;
  shown: string;
  votes: number;
  /** The first sample that gave it, in preset and sample order: ties go to it. */
  first: number;
  firstMember: string;
  firstText: string;
}

/** The final answers of some samples, grouped, most votes first (ties: the earliest given). */
function groupsOf(entries: ReadonlyArray<{ member: string; text: string }>, offset = 0): Group[] {
  const groups = new Map<string, Group>();
  entries.forEach((entry, index) => {
    const { key, shown } = voteKey(entry.text);
    if (!key) return;
    const group = groups.get(key) ?? { key, shown, votes: 0, first: offset + index, firstMember: entry.member, firstText: entry.text };
    group.votes += 1;
    groups.set(key, group);
  });
  return [...groups.values()].sort((a, b) => b.votes - a.votes || a.first - b.first);
}

/**
 * The council's answer from its samples. `plurality`: the final answer given most often over
 * every sample, shown in the first reply that gave it. `confident-member` (SLM-MUX's selection,
 * arXiv 2510.05077): the member whose own samples agree most gives its most frequent answer;
 * ties go to the member whose answer has more votes over the council, then to preset order.
 * Undefined when no sample has a final answer to count.
 */
export function tallyVotes(samples: ReadonlyMap<string, readonly string[]>, selection: VoteSelection): Verdict | undefined {
  const pooled = [...samples].flatMap(([member, texts]) => texts.map((text) => ({ member, text })));
  const pool = groupsOf(pooled);
  const total = pool.reduce((sum, group) => sum + group.votes, 0);
  const split = pool.map((group) => ({ answer: group.shown, votes: group.votes }));
  if (selection === "plurality") {
    const winner = pool[0];
    if (!winner) return undefined;
    return verdict(selection, winner, winner.votes, total, split);
  }
  const poolVotes = (key: string) => pool.find((group) => group.key === key)?.votes ?? 0;
  const candidates = [...samples].flatMap(([member, texts], order) => {
    const own = groupsOf(texts.map((text) => ({ member, text })));
    const top = own[0];
    const of = own.reduce((sum, group) => sum + group.votes, 0);
    return top ? [{ top, of, order, agreement: top.votes / of }] : [];
  });
  const chosen = candidates.sort((a, b) => b.agreement - a.agreement || poolVotes(b.top.key) - poolVotes(a.top.key) || a.order - b.order)[0];
  if (!chosen) return undefined;
  return verdict(selection, chosen.top, chosen.top.votes, chosen.of, split);
}

function verdict(selection: VoteSelection, group: Group, votes: number, of: number, split: Array<{ answer: string; votes: number }>): Verdict {
  return {
    text: group.firstText,
    by: { kind: "vote", selection, member: group.firstMember, answer: group.shown, votes, of, confidence: Math.round((votes / of) * 1000) / 1000, split },
  };
}

/** The whole `vote` strategy: samples, then the count. Undefined when every member failed. */
export async function voteOfMembers(session: Session): Promise<Verdict | undefined> {
  const samples = await sampleMembers(session);
  if (samples.size === 0) return undefined;
  return tallyVotes(samples, voteSettings(session).selection);
}
