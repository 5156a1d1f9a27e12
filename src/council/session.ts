import { setMaxListeners } from "node:events";
import type { ChatMessage, ChatRequest, LlmClient } from "../llm/port.js";
import type { CouncilEvent, FailureReason } from "./events.js";
import { type CallContext, callModel, type CallOutcome } from "./model-call.js";
import { type MemberSpec, numCtxFor, type Preset } from "./preset.js";
import { answerMessages, type PriorTurn } from "./prompts.js";
import { fitContext, promptWasCut } from "./context-budget.js";
import type { CallStats, StageName } from "./usage.js";

// What every stage of one deliberation shares: the question, the preset, the clients, the
// clock, the event sink and the council's cancellation. Stages get it as one argument.

/** How long Ollama keeps a council model loaded after a call: councils come in bursts. */
export const KEEP_ALIVE = "30m";

export interface Session {
  /** The question as the prompts carry it: the files' text (question-files.ts), then the question. */
  question: string;
  /** The question as the asker typed it (trimmed): what the card shows. */
  asked: string;
  /** The question's images, for the members whose model can see. */
  images?: { base64: string[]; seeingModels: ReadonlySet<string> };
  preset: Preset;
  context: readonly PriorTurn[];
  members: LlmClient;
  chairman: LlmClient;
  random: () => number;
  now: () => number;
  /** The council's start on `now`'s clock: calls are placed on the timeline from it. */
  startedAt: number;
  signal: AbortSignal;
  emit: (event: CouncilEvent) => void;
  /** Members that failed in stage 1, and why. */
  failures: Array<{ member: string; reason: FailureReason }>;
  /** Other things the user should know about a partial result, in words. */
  notes: string[];
}

export interface StageHandle {
  signal: AbortSignal;
  call(
    client: LlmClient,
    request: ChatRequest,
    options?: {
      member?: string;
      onDelta?: (text: string) => void;
      /** How the call's stats are accounted, e.g. without the prompt a prefill already counted. */
      account?: (stats: CallStats) => CallStats;
    },
  ): Promise<CallOutcome>;
}

/** Opens a stage: its events, its deadline, and a call helper that accounts every call. */
export function openStage(session: Session, stage: StageName, expectedCalls: number, round?: number) {
  const startedAt = session.now();
  const signal = AbortSignal.any([session.signal, AbortSignal.timeout(session.preset.limits.stageTimeoutMs)]);
  // Every call of the stage listens to this signal: a pairwise stage of 8 members has 56.
  setMaxListeners(0, signal);
  session.emit({ type: "stage-started", stage, expectedCalls, ...(round !== undefined && { round }) });

  const handle: StageHandle = {
    signal,
    async call(client, request, options = {}) {
      const called = await callModel(client, request, { ...callContext(session, stage, signal), onDelta: options.onDelta });
      const outcome: CallOutcome = called.ok && options.account ? { ...called, stats: options.account(called.stats) } : called;
      const member = options.member !== undefined ? { member: options.member } : {};
      if (!outcome.ok) {
        session.emit({ type: "call-failed", model: request.model, stage, ...member, startMs: outcome.startMs, wallMs: outcome.wallMs, reason: outcome.reason });
      } else {
        session.emit({ type: "call-finished", stats: outcome.stats, ...member });
        const numCtx = request.options.num_ctx;
        // Ollama's own count of the whole prompt, before any accounting.
        if (called.ok && promptWasCut(called.stats.promptTokens, numCtx)) {
          session.emit({
            type: "warning",
            stage,
            code: "prompt-truncated",
            message: `${request.model}'s prompt filled its whole context (${called.stats.promptTokens} of num_ctx ${numCtx} tokens), so Ollama cut it; raise numCtx for ${request.model} in the preset`,
          });
        }
      }
      return outcome;
    },
  };
  const close = () => session.emit({ type: "stage-finished", stage, wallMs: session.now() - startedAt, ...(round !== undefined && { round }) });
  return { ...handle, close };
}

/** What a model call of `stage` needs to know of the council: its signals, deadlines and clock. */
export function callContext(session: Session, stage: StageName, signal: AbortSignal): CallContext {
  return {
    stage,
    signal,
    councilSignal: session.signal,
    stageTimeoutMs: session.preset.limits.stageTimeoutMs,
    callTimeoutMs: session.preset.limits.callTimeoutMs,
    now: session.now,
    councilStartedAt: session.startedAt,
  };
}

/** A member's answer-stage prompt: the question with the thread's earlier turns, and the images when its model can see. */
export function memberAnswerMessages(session: Session, member: MemberSpec, numPredict: number): ChatMessage[] {
  const messages = answerMessages(member, session.question, contextFor(session, member.model, numPredict));
  const images = session.images;
  if (!images?.seeingModels.has(member.model)) return messages;
  const question = messages.at(-1) as ChatMessage;
  return [...messages.slice(0, -1), { ...question, images: images.base64 }];
}

/** The thread's earlier turns that fit in `model`'s context beside the question. */
export function contextFor(session: Session, model: string, numPredict: number): PriorTurn[] {
  return fitContext(session.context, session.question, numCtxFor(session.preset, model), numPredict);
}

export function chatOptions(session: Session, model: string, numPredict: number, temperature?: number): ChatRequest["options"] {
  return {
    num_predict: numPredict,
    num_ctx: numCtxFor(session.preset, model),
    ...(temperature !== undefined && { temperature }),
  };
}
