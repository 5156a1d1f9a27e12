import type { Aggregate } from "./aggregate.js";
import type { ChairmanPrefix, ChairmanReader } from "./chairman-prefill.js";
import { fitTexts } from "./context-budget.js";
import type { Ballot, VerdictSource } from "./events.js";
import { majority } from "./majority.js";
import { CRITIQUED_ANSWERS, CRITIQUES_PER_ANSWER, type ReviewedAnswer, synthesisMessages, synthesisSuffix } from "./prompts.js";
import { chatOptions, KEEP_ALIVE, openStage, type Session } from "./session.js";
import type { Answers } from "./stage-answers.js";
import { warnTrimmed } from "./stage-answers.js";

export interface Verdict {
  text: string;
  by: VerdictSource;
}

/**
 * Stage 3: the chairman writes the final answer. Its prompt is the prefix it read during the
 * review (the answers), continued by the ranking, the mean scores and the best answers'
 * critiques. If it fails, the top-ranked answer stands, labelled so.
 */
export async function synthesise(
  session: Session,
  answers: Answers,
  ranking: Aggregate,
  ballots: readonly Ballot[],
  reader: ChairmanReader,
  ahead: ChairmanPrefix,
): Promise<Verdict> {
  const { chairman } = session.preset;
  const stage = openStage(session, "synthesis", 1);
  const reviewed: ReviewedAnswer[] = ranking.rows.map((row) => ({
    id: ahead.ids.get(row.member) ?? 0,
    meanScore: row.meanScore,
    critiques: critiquesOf(row.member, ballots),
  }));
  const numPredict = session.preset.limits.numPredict.synthesis;
  const options = chatOptions(session, chairman.model, numPredict, chairman.temperature);

  // The prefix is fixed; when the critiques do not fit beside it they are trimmed, not the answers.
  const shown = reviewed.slice(0, CRITIQUED_ANSWERS).flatMap((answer) => answer.critiques);
  const withCritiques = (texts: readonly string[]) => {
    let next = 0;
    return reviewed.map((answer, index) => (index < CRITIQUED_ANSWERS ? { ...answer, critiques: answer.critiques.map(() => texts[next++] ?? "") } : answer));
  };
  const prefixText = ahead.messages.map((message) => message.content).join("\n");
  const fitted = fitTexts(shown, prefixText + synthesisSuffix(withCritiques([]), ranking.consensus), options.num_ctx, numPredict);
  if (fitted.trimmed) warnTrimmed(session, "synthesis", chairman.model);
  const messages = synthesisMessages(ahead.messages, synthesisSuffix(withCritiques(fitted.texts), ranking.consensus));

  await reader.idle();
  const outcome = await stage.call(
    session.chairman,
    { model: chairman.model, messages, options, keepAlive: KEEP_ALIVE },
    { onDelta: (text) => session.emit({ type: "verdict-delta", text }), account: reader.account },
  );
  stage.close();
  const text = outcome.ok ? outcome.text.trim() : "";
  if (text) return { text, by: { kind: "chairman", model: chairman.model } };
  const why = outcome.ok ? "it gave an empty answer" : outcome.reason.message;
  session.notes.push(`the chairman (${chairman.model}) failed: ${why}; the top-ranked answer is given instead`);
  return topRanked(answers, ranking, `the chairman failed: ${why}`);
}

/**
 * What the chairman is told is wrong with an answer: the critiques of the reviewers who scored
 * it lowest, who are the ones that found something wrong; a few say what the rest repeat.
 */
function critiquesOf(member: string, ballots: readonly Ballot[]): string[] {
  return ballots
    .flatMap((ballot) => (ballot.critiques[member] ? [{ critique: ballot.critiques[member] as string, score: ballot.scores[member] ?? 10 }] : []))
    .sort((a, b) => a.score - b.score)
    .slice(0, CRITIQUES_PER_ANSWER)
    .map((entry) => entry.critique);
}

export function topRanked(answers: Answers, ranking: Aggregate, because?: string): Verdict {
  const top = ranking.rows[0]?.member ?? [...answers.keys()][0] ?? "";
  return { text: answers.get(top) ?? "", by: { kind: "top-ranked", member: top, ...(because !== undefined && { because }) } };
}

/**
 * `majority`: the answer most members give. `weighted`: each member's vote counts its mean peer
 * score (an unscored member's vote counts nothing; if nobody was scored, plain votes decide).
 */
export function byMajority(answers: Answers, ranking: Aggregate | undefined, weighted: boolean): Verdict {
  const order = ranking ? ranking.rows.map((row) => row.member) : [...answers.keys()];
  const candidates = order.map((member) => ({ member, text: answers.get(member) ?? "" }));
  const scores = new Map(ranking?.rows.map((row) => [row.member, row.meanScore ?? 0]));
  const useWeights = weighted && [...scores.values()].some((score) => score > 0);
  const outcome = majority(candidates, useWeights ? (member) => scores.get(member) ?? 0 : undefined);
  const member = outcome?.member ?? order[0] ?? "";
  return {
    text: answers.get(member) ?? "",
    by: {
      kind: "majority",
      member,
      votes: outcome?.votes ?? 0,
      of: outcome?.of ?? 0,
      weighted: useWeights,
      majority: outcome?.majority ?? false,
      backers: outcome?.members.length ?? 0,
    },
  };
}
