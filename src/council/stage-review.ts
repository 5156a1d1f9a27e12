import type { ChatMessage } from "../llm/port.js";
import { type BallotCheck, checkPairwiseScore, checkRankingBallot, PAIRWISE_SCHEMA, type PairwiseScore, rankingBallotSchema } from "./ballot.js";
import { fitTexts } from "./context-budget.js";
import type { Ballot } from "./events.js";
import type { MemberSpec } from "./preset.js";
import { pairwiseMessages, repairMessages, reviewMessages } from "./prompts.js";
import { chatOptions, KEEP_ALIVE, openStage, type Session, type StageHandle } from "./session.js";
import { labelFor, shuffled } from "./shuffle.js";
import type { Answers, AnswerTracker } from "./stage-answers.js";
import { warnTrimmed } from "./stage-answers.js";

/** Ranking mode: each member that answered ranks the others in one ballot. */
export async function reviewByRanking(session: Session, answers: Answers): Promise<Ballot[]> {
  const reviewers = session.preset.members.filter((member) => answers.has(member.name));
  const stage = openStage(session, "review", reviewers.length);
  const ballots = await Promise.all(reviewers.map((reviewer) => rankingBallot(session, stage, reviewer, answers).then((ballot) => cast(session, ballot))));
  stage.close();
  return ballots;
}

async function rankingBallot(session: Session, stage: StageHandle, reviewer: MemberSpec, answers: Answers): Promise<Ballot> {
  // Anonymised and shuffled per reviewer (judges favour the first position), never itself.
  const shown = shuffled(
    [...answers.keys()].filter((name) => name !== reviewer.name),
    session.random,
  );
  const labels = shown.map((_, index) => labelFor(index));
  const numPredict = session.preset.limits.numPredict.review;
  const options = chatOptions(session, reviewer.model, numPredict, 0);
  const fixed = reviewMessages(session.question, labels.map((label) => ({ label, text: "" })));
  const fitted = fitTexts(
    shown.map((name) => answers.get(name) ?? ""),
    contentOf(fixed),
    options.num_ctx,
    numPredict,
  );
  if (fitted.trimmed) warnTrimmed(session, "review", reviewer.model);
  const messages = reviewMessages(session.question, labels.map((label, index) => ({ label, text: fitted.texts[index] ?? "" })));
  const format = rankingBallotSchema(labels);

  const result = await askWithOneRepair(session, stage, reviewer, messages, format, (text) => checkRankingBallot(text, labels));
  if (!result.ok) return abstention(reviewer.name, result.problem);
  const nameOf = (label: string) => shown[labels.indexOf(label)] ?? label;
  return {
    reviewer: reviewer.name,
    abstained: false,
    ranking: result.value.ranking.map(nameOf),
    scores: Object.fromEntries(Object.entries(result.value.scores).map(([label, score]) => [nameOf(label), score])),
    critiques: Object.fromEntries(Object.entries(result.value.critiques).map(([label, critique]) => [nameOf(label), critique])),
    repaired: result.repaired,
  };
}

/**
 * Pairwise mode (the seed project's): each reviewer scores each other answer in its own call,
 * N x (N-1) calls. A call starts as soon as both its reviewer and its answer are in, so the
 * reviews overlap stage 1 instead of waiting for its slowest member.
 */
export async function reviewPairwise(session: Session, tracker: AnswerTracker): Promise<Ballot[]> {
  const { members } = session.preset;
  let stage: ReturnType<typeof openStage> | undefined;
  const openOnce = () => (stage ??= openStage(session, "review", members.length * (members.length - 1)));

  const ballots = await Promise.all(
    members.map(async (reviewer) => {
      const scores = await Promise.all(
        members
          .filter((other) => other.name !== reviewer.name)
          .map(async (other) => {
            const [own, answer] = await Promise.all([tracker.settled(reviewer.name), tracker.settled(other.name)]);
            if (own === null || answer === null) return undefined;
            const messages = pairwiseMessages(session.question, answer);
            const result = await askWithOneRepair(session, openOnce(), reviewer, messages, PAIRWISE_SCHEMA, checkPairwiseScore);
            return { member: other.name, result };
          }),
      );
      const scored = scores.filter((score) => score !== undefined);
      // A reviewer that failed, or that had no other answer to score, casts no ballot.
      if (scored.length === 0) return undefined;
      return cast(session, pairwiseBallot(reviewer.name, scored, members));
    }),
  );
  stage?.close();
  return ballots.filter((ballot): ballot is Ballot => ballot !== undefined);
}

function pairwiseBallot(
  reviewer: string,
  results: Array<{ member: string; result: Asked<PairwiseScore> }>,
  members: readonly MemberSpec[],
): Ballot {
  const valid = results.flatMap(({ member, result }) => (result.ok ? [{ member, ...result.value, repaired: result.repaired }] : []));
  const problems = results.flatMap(({ member, result }) => (result.ok ? [] : [`${member}: ${result.problem}`]));
  if (valid.length === 0) return abstention(reviewer, problems.join("; "));
  const order = (name: string) => members.findIndex((member) => member.name === name);
  const ranked = [...valid].sort((a, b) => b.score - a.score || order(a.member) - order(b.member));
  return {
    reviewer,
    abstained: false,
    ...(problems.length > 0 && { reason: `some scores are missing: ${problems.join("; ")}` }),
    ranking: ranked.map((entry) => entry.member),
    scores: Object.fromEntries(valid.map((entry) => [entry.member, entry.score])),
    critiques: Object.fromEntries(valid.map((entry) => [entry.member, entry.critique])),
    repaired: valid.some((entry) => entry.repaired),
  };
}

type Asked<T> = { ok: true; value: T; repaired: boolean } | { ok: false; problem: string };

/** Asks for structured output at temperature 0; an invalid answer gets exactly one repair attempt. */
async function askWithOneRepair<T>(
  session: Session,
  stage: StageHandle,
  reviewer: MemberSpec,
  messages: ChatMessage[],
  format: Record<string, unknown>,
  check: (text: string) => BallotCheck<T>,
): Promise<Asked<T>> {
  const options = chatOptions(session, reviewer.model, session.preset.limits.numPredict.review, 0);
  const ask = (conversation: ChatMessage[]) =>
    stage.call(session.members, { model: reviewer.model, messages: conversation, options, format, keepAlive: KEEP_ALIVE }, { member: reviewer.name });

  const first = await ask(messages);
  if (!first.ok) return { ok: false, problem: first.reason.message };
  const firstCheck = check(first.text);
  if (firstCheck.ok) return { ok: true, value: firstCheck.value, repaired: false };

  const second = await ask(repairMessages(messages, first.text, firstCheck.problem));
  if (!second.ok) return { ok: false, problem: `invalid ballot (${firstCheck.problem}), and the repair failed: ${second.reason.message}` };
  const secondCheck = check(second.text);
  if (secondCheck.ok) return { ok: true, value: secondCheck.value, repaired: true };
  return { ok: false, problem: `invalid ballot twice: ${secondCheck.problem}` };
}

/** Ballots are shown as they arrive, not when the stage ends. */
function cast(session: Session, ballot: Ballot): Ballot {
  session.emit({ type: "ballot", ballot });
  return ballot;
}

function abstention(reviewer: string, reason: string): Ballot {
  return { reviewer, abstained: true, reason, ranking: [], scores: {}, critiques: {}, repaired: false };
}

function contentOf(messages: readonly ChatMessage[]): string {
  return messages.map((message) => message.content).join("\n");
}
