import { fitTexts } from "./context-budget.js";
import type { FailureReason } from "./events.js";
import type { CallOutcome } from "./model-call.js";
import type { MemberSpec } from "./preset.js";
import { answerMessages, debateMessages } from "./prompts.js";
import { chatOptions, contextFor, KEEP_ALIVE, memberAnswerMessages, openStage, type Session } from "./session.js";
import { labelFor, shuffled } from "./shuffle.js";

/** The members' current answers by name; a member that failed has none. */
export type Answers = Map<string, string>;

export interface AnswerTracker {
  /** Resolves with the member's answer once it is in, or null once it has failed. */
  settled(member: string): Promise<string | null>;
  all: Promise<Answers>;
}

/** Stage 1: every member answers at once, streamed. Each answer can be awaited on its own, so pairwise reviews need not wait for the slowest member. */
export function collectAnswers(session: Session): AnswerTracker {
  const { members } = session.preset;
  const stage = openStage(session, "answers", members.length);
  const answers: Answers = new Map();
  const outcomes = new Map(
    members.map((member) => [
      member.name,
      (async () => {
        const outcome = await stage.call(
          session.members,
          {
            model: member.model,
            messages: memberAnswerMessages(session, member, session.preset.limits.numPredict.answer),
            options: chatOptions(session, member.model, session.preset.limits.numPredict.answer, member.temperature),
            keepAlive: KEEP_ALIVE,
          },
          { member: member.name, onDelta: (text) => session.emit({ type: "member-delta", stage: "answers", member: member.name, text }) },
        );
        return settle(session, "answers", member, outcome, answers);
      })(),
    ]),
  );
  const all = Promise.all(outcomes.values()).then(() => {
    stage.close();
    // Preset order, whatever order the answers arrived in.
    return new Map(members.flatMap((member) => (answers.has(member.name) ? [[member.name, answers.get(member.name) as string]] : [])));
  });
  return { settled: (member) => outcomes.get(member) ?? Promise.resolve(null), all };
}

/** A debate round: each member revises its answer after reading the others'. A failed revision keeps the earlier answer. */
export async function debateRound(session: Session, round: number, answers: Answers): Promise<Answers> {
  const speakers = session.preset.members.filter((member) => answers.has(member.name));
  const stage = openStage(session, "debate", speakers.length, round);
  const revised: Answers = new Map(answers);
  await Promise.all(
    speakers.map(async (member) => {
      const own = answers.get(member.name) ?? "";
      const others = shuffled(
        speakers.filter((other) => other.name !== member.name).map((other) => answers.get(other.name) ?? ""),
        session.random,
      );
      const numPredict = session.preset.limits.numPredict.debate;
      const options = chatOptions(session, member.model, numPredict, member.temperature);
      const context = contextFor(session, member.model, numPredict);
      const fixed = debateMessages(member, session.question, context, own, others.map((_, index) => ({ label: labelFor(index), text: "" })));
      const fitted = fitTexts(others, fixed.map((message) => message.content).join("\n"), options.num_ctx, numPredict);
      if (fitted.trimmed) warnTrimmed(session, "debate", member.model);
      const outcome = await stage.call(
        session.members,
        {
          model: member.model,
          messages: debateMessages(member, session.question, context, own, fitted.texts.map((text, index) => ({ label: labelFor(index), text }))),
          options,
          keepAlive: KEEP_ALIVE,
        },
        { member: member.name, onDelta: (text) => session.emit({ type: "member-delta", stage: "debate", member: member.name, text }) },
      );
      settle(session, "debate", member, outcome, revised);
    }),
  );
  stage.close();
  return revised;
}

function settle(session: Session, stage: "answers" | "debate", member: MemberSpec, outcome: CallOutcome, into: Answers): string | null {
  const answer = outcome.ok ? outcome.text.trim() : "";
  if (outcome.ok && answer) {
    const { stats } = outcome;
    into.set(member.name, answer);
    session.emit({ type: "member-answered", stage, member: member.name, answer, stats });
    if (stats.doneReason === "length") {
      session.emit({
        type: "warning",
        stage,
        code: "answer-cut",
        message: `${member.name}'s answer reached its limit of ${stats.completionTokens} tokens and was cut; raise numPredict.${stage === "answers" ? "answer" : "debate"} in the preset`,
      });
    }
    return answer;
  }
  const error: FailureReason = outcome.ok ? { kind: "bad-response", message: `${member.model} gave an empty answer` } : outcome.reason;
  session.emit({ type: "member-failed", stage, member: member.name, error });
  if (stage === "answers") session.failures.push({ member: member.name, reason: error });
  return into.get(member.name) ?? null;
}

export function warnTrimmed(session: Session, stage: "debate" | "review" | "synthesis", model: string): void {
  session.emit({
    type: "warning",
    stage,
    code: "context-trimmed",
    message: `the answers were trimmed to fit ${model}'s context (num_ctx ${chatOptions(session, model, 0).num_ctx}); raise numCtx for ${model} in the preset to send them whole`,
  });
}
