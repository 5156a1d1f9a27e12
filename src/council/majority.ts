import { voteKey } from "./final-answer.js";

// For short factual answers ("Paris", "42", "Yes"), the council's answer is the one most
// members converge on. Answers are compared by their final answer (final-answer.ts, as the vote
// counts them) after normalisation, so "Paris." and "paris" agree, and so do two workings that
// end on "Answer: 42".

export interface MajorityOutcome {
  /** The member whose answer is given: the first (best-ranked) member of the winning group. */
  member: string;
  /** Members, or their summed weights, behind the winning answer. */
  votes: number;
  of: number;
  members: string[];
  /** More than half the votes: a majority, not just the most common answer. */
  majority: boolean;
}

/**
 * `answers` are in preference order (ranking order when there is one): ties between groups go
 * to the group whose best member comes first. `weight` gives each member's vote weight.
 */
export function majority(answers: ReadonlyArray<{ member: string; text: string }>, weight: (member: string) => number = () => 1): MajorityOutcome | undefined {
  const groups = new Map<string, { members: string[]; votes: number; first: number }>();
  answers.forEach((answer, index) => {
    // The final answer, as the vote reads it: "… so the total is 42." and "42" agree.
    const { key } = voteKey(answer.text);
    const group = groups.get(key) ?? { members: [], votes: 0, first: index };
    group.members.push(answer.member);
    group.votes += weight(answer.member);
    groups.set(key, group);
  });
  const best = [...groups.values()].sort((a, b) => b.votes - a.votes || a.first - b.first)[0];
  if (!best) return undefined;
  const total = answers.reduce((sum, answer) => sum + weight(answer.member), 0);
  return {
    member: best.members[0] ?? "",
    votes: Math.round(best.votes * 100) / 100,
    of: Math.round(total * 100) / 100,
    members: best.members,
    majority: best.votes * 2 > total,
  };
}
