import { setMaxListeners } from "node:events";
import type { LlmClient } from "../llm/port.js";
import type { Attachment } from "../files/index.js";
import { aggregate, type Aggregate } from "./aggregate.js";
import { imagesOf, modelsThatSee } from "./attachments.js";
import { createChairmanReader } from "./chairman-prefill.js";
import { createEventChannel } from "./event-channel.js";
import type { Ballot, CouncilEvent, CouncilStatus } from "./events.js";
import { callsChairman, numCtxFor, type Preset } from "./preset.js";
import type { PriorTurn } from "./prompts.js";
import { takeInFiles } from "./question-files.js";
import { KEEP_ALIVE, type Session } from "./session.js";
import { type Answers, collectAnswers, debateRound } from "./stage-answers.js";
import { reviewByRanking, reviewPairwise } from "./stage-review.js";
import { byMajority, synthesise, topRanked, type Verdict } from "./stage-verdict.js";
import { voteOfMembers } from "./stage-vote.js";
import { type CallStats, type StageName, summarize } from "./usage.js";

export type { PriorTurn } from "./prompts.js";

export interface RunOptions {
  signal?: AbortSignal;
  /** Earlier questions and final answers of the same thread, oldest first. */
  context?: PriorTurn[];
  /** The question's files, read (src/files): documents into every prompt, images to the members that can see. */
  attachments?: readonly Attachment[];
}

export interface CouncilEngine {
  /** Throws QuestionRejectedError before any event; otherwise every failure is an event. */
  runCouncil(question: string, preset: Preset, options?: RunOptions): AsyncIterable<CouncilEvent>;
  /**
   * Rejects, with QuestionRejectedError, files the council could not read: images when no
   * member's model can see. A platform asks before it opens the council, so nothing runs.
   */
  checkAttachments(preset: Preset, attachments: readonly Attachment[]): Promise<void>;
  /** Loads every model of the preset with its pinned num_ctx, so the first council pays no load. */
  preload(preset: Preset): Promise<Array<{ model: string; error?: string }>>;
}

export interface EngineDeps {
  /** The workers serving the member models. */
  members: LlmClient;
  /** The local Ollama serving the chairman. */
  chairman: LlmClient;
  random?: () => number;
  now?: () => number;
}

export class QuestionRejectedError extends Error {
  override readonly name = "QuestionRejectedError";
  readonly kind = "question-rejected";
}

/** The question as the council will see it; throws QuestionRejectedError when it cannot be asked. */
export function checkQuestion(question: string, preset: Preset): string {
  const trimmed = question.trim();
  if (!trimmed) throw new QuestionRejectedError("The question is empty: ask something, e.g. \"What is the capital of France?\"");
  if (trimmed.length > preset.limits.maxQuestionChars) {
    throw new QuestionRejectedError(
      `The question is ${trimmed.length} characters long; the limit is ${preset.limits.maxQuestionChars}. Shorten it, or raise limits.maxQuestionChars in the preset.`,
    );
  }
  return trimmed;
}

export function createCouncilEngine(deps: EngineDeps): CouncilEngine {
  const now = deps.now ?? (() => performance.now());
  const random = deps.random ?? Math.random;

  function runCouncil(question: string, preset: Preset, options: RunOptions = {}): AsyncIterable<CouncilEvent> {
    const trimmed = checkQuestion(question, preset);
    const cancel = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
    // Each stage, and the chairman's preload, listen to it; a large council has more than 10.
    setMaxListeners(0, signal);
    const channel = createEventChannel<CouncilEvent>(() => cancel.abort(new Error("the consumer stopped listening")));
    const ledger: Ledger = { calls: [], stageMs: {} };
    const session: Session = {
      question: trimmed,
      asked: trimmed,
      preset,
      context: options.context ?? [],
      members: deps.members,
      chairman: deps.chairman,
      random,
      now,
      startedAt: now(),
      signal,
      emit: (event) => {
        record(ledger, event);
        channel.push(event);
      },
      failures: [],
      notes: [],
    };
    deliberate(session, ledger, options.attachments ?? []).then(
      () => channel.close(),
      (error: unknown) => channel.fail(error),
    );
    return channel;
  }

  async function preload(preset: Preset) {
    const models = [
      ...new Set(preset.members.map((member) => member.model)).values(),
    ].map((model) => ({ model, client: deps.members }));
    if (callsChairman(preset)) models.push({ model: preset.chairman.model, client: deps.chairman });
    return Promise.all(
      models.map(async ({ model, client }) => {
        try {
          await client.preload(model, numCtxFor(preset, model), KEEP_ALIVE);
          return { model };
        } catch (error) {
          return { model, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
  }

  async function checkAttachments(preset: Preset, attachments: readonly Attachment[]) {
    if (imagesOf(attachments).length === 0) return;
    const models = preset.members.map((member) => member.model);
    if ((await modelsThatSee(deps.members, models)).size > 0) return;
    throw new QuestionRejectedError(
      `None of this preset's models can see images (${[...new Set(models)].join(", ")}), so nothing was asked. Use a preset that seats a vision model, such as llava, gemma3 or qwen2.5vl, or describe the image in words.`,
    );
  }

  return { runCouncil, checkAttachments, preload };
}

/** The council's own accounts, kept from its events so the final totals match what was shown. */
interface Ledger {
  calls: CallStats[];
  stageMs: Partial<Record<StageName, number>>;
}

function record(ledger: Ledger, event: CouncilEvent): void {
  if (event.type === "call-finished" || event.type === "image-described") ledger.calls.push(event.stats);
  if (event.type === "stage-finished") ledger.stageMs[event.stage] = (ledger.stageMs[event.stage] ?? 0) + event.wallMs;
}

async function deliberate(session: Session, ledger: Ledger, attachments: readonly Attachment[]): Promise<void> {
  const { preset } = session;
  const finish = (status: CouncilStatus, reason?: string, cancelled = false) =>
    session.emit({
      type: "council-finished",
      status,
      ...(reason && { reason }),
      ...(cancelled && { cancelled }),
      usage: summarize(ledger.calls),
      latency: { totalMs: session.now() - session.startedAt, byStage: ledger.stageMs },
    });
  const cancelled = () => finish("failed", "the council was cancelled", true);

  const needsReview = preset.strategy !== "majority" && preset.strategy !== "vote";
  const needsChairman = callsChairman(preset);
  session.emit({
    type: "council-started",
    question: session.asked,
    preset: preset.name,
    strategy: preset.strategy,
    review: preset.review,
    debateRounds: preset.debateRounds,
    members: preset.members.map(({ name, model }) => ({ name, model })),
    chairman: needsChairman ? preset.chairman.model : null,
    // The vote has no discussion: debate rounds do not apply to it.
    stages: preset.strategy === "vote" ? ["answers"] : plannedStages(preset, needsReview, needsChairman),
  });

  // The files first: every prompt from here on carries them.
  await takeInFiles(session, attachments);
  if (session.signal.aborted) return cancelled();

  const conclude = (verdict: Verdict) => {
    session.emit({ type: "verdict", text: verdict.text, by: verdict.by });
    const notes = partialNotes(session);
    return finish(notes.length > 0 ? "partial" : "completed", notes.join("; ") || undefined);
  };
  if (preset.strategy === "vote") {
    const verdict = await voteOfMembers(session);
    if (session.signal.aborted) return cancelled();
    return verdict ? conclude(verdict) : finish("failed", everyMemberFailed(session.failures));
  }

  const tracker = collectAnswers(session);
  const pipelinedReview = needsReview && preset.review === "pairwise" && preset.debateRounds === 0 ? reviewPairwise(session, tracker) : undefined;
  // The chairman loads on PC1 and reads the question while the members work on PC2 (asked
  // after them, so their calls go out first).
  const chairman = needsChairman ? createChairmanReader(session) : undefined;
  let answers = await tracker.all;
  if (session.signal.aborted) return cancelled();
  if (answers.size === 0) {
    await pipelinedReview;
    return finish("failed", everyMemberFailed(session.failures));
  }

  for (let round = 1; round <= preset.debateRounds && answers.size >= 2; round++) {
    answers = await debateRound(session, round, answers);
    if (session.signal.aborted) return cancelled();
  }

  if (answers.size === 1) {
    await pipelinedReview;
    const [member, text] = [...answers][0] as [string, string];
    session.emit({ type: "verdict", text, by: { kind: "only-answer", member } });
    return finish("partial", [...partialNotes(session), `only ${member} answered, so there was no review`].join("; "));
  }

  let ranking: Aggregate | undefined;
  let ballots: Ballot[] = [];
  const review = needsReview ? (pipelinedReview ?? (preset.review === "pairwise" ? reviewPairwise(session, trackerOf(answers)) : reviewByRanking(session, answers))) : undefined;
  // The answers are final: once the reviews are on their way, the chairman starts reading them.
  const chairmanAhead = chairman?.answersIn(answers);
  if (review) {
    ballots = await review;
    if (session.signal.aborted) return cancelled();
    ranking = aggregate([...answers.keys()], ballots, preset.review === "pairwise" ? "mean-score" : "borda");
    session.emit({ type: "ranking", rows: ranking.rows, consensus: ranking.consensus });
    if (ballots.every((ballot) => ballot.abstained)) session.notes.push("every reviewer abstained, so the ranking is only the members' order");
  }

  const verdict: Verdict =
    chairman && chairmanAhead && ranking
      ? await synthesise(session, answers, ranking, ballots, chairman, chairmanAhead)
      : preset.strategy === "best-of" && ranking
        ? topRanked(answers, ranking)
        : byMajority(answers, ranking, preset.strategy === "weighted");
  if (session.signal.aborted) return cancelled();
  return conclude(verdict);
}

function plannedStages(preset: Preset, needsReview: boolean, needsChairman: boolean): StageName[] {
  return [
    "answers",
    ...Array.from({ length: preset.debateRounds }, (): StageName => "debate"),
    ...(needsReview ? (["review"] as const) : []),
    ...(needsChairman ? (["synthesis"] as const) : []),
  ];
}

/** After a debate round, the pairwise review needs the revised answers, all already settled. */
function trackerOf(answers: Answers) {
  return { settled: async (member: string) => answers.get(member) ?? null, all: Promise.resolve(answers) };
}

function partialNotes(session: Session): string[] {
  return [...session.failures.map(({ member, reason }) => `${member} failed: ${reason.message}`), ...session.notes];
}

/** One unreachable worker fails every member the same way: say it once. */
function everyMemberFailed(failures: Session["failures"]): string {
  const reasons = [...new Set(failures.map(({ reason }) => reason.message))];
  if (reasons.length === 1) return `every member failed: ${reasons[0]}`;
  return `every member failed: ${failures.map(({ member, reason }) => `${member}: ${reason.message}`).join("; ")}`;
}
