import { LlmBadResponseError, LlmError } from "../llm/errors.js";
import type { ChatRequest, LlmClient } from "../llm/port.js";
import type { FailureReason } from "./events.js";
import type { CallStats, StageName } from "./usage.js";

export type CallOutcome =
  | { ok: true; text: string; stats: CallStats }
  | { ok: false; reason: FailureReason; startMs: number; wallMs: number };

export interface CallContext {
  stage: StageName;
  /** The stage's signal: the council's, plus the stage deadline. */
  signal: AbortSignal;
  /** Aborted only when the whole council is cancelled, to tell a cancellation from a deadline. */
  councilSignal: AbortSignal;
  stageTimeoutMs: number;
  callTimeoutMs: number;
  now: () => number;
  /** The council's start on `now`'s clock. */
  councilStartedAt: number;
  onDelta?: (text: string) => void;
}

/** One streamed model call, never throwing: a failure comes back as the reason the user will see. */
export async function callModel(client: LlmClient, request: ChatRequest, context: CallContext): Promise<CallOutcome> {
  const startedAt = context.now();
  const startMs = startedAt - context.councilStartedAt;
  let firstTokenMs: number | undefined;
  let text = "";
  try {
    for await (const part of client.chat(request, { signal: context.signal, timeoutMs: context.callTimeoutMs })) {
      if (part.type === "delta") {
        if (firstTokenMs === undefined && part.text !== "") firstTokenMs = context.now() - startedAt;
        text += part.text;
        context.onDelta?.(part.text);
      } else {
        const timing = { startMs, ...(firstTokenMs !== undefined && { firstTokenMs }), wallMs: context.now() - startedAt };
        return { ok: true, text, stats: { ...part.usage, model: request.model, stage: context.stage, ...timing } };
      }
    }
    throw new LlmBadResponseError(request.model, "the answer ended without Ollama's final chunk");
  } catch (error) {
    return { ok: false, reason: failureReason(error, context), startMs, wallMs: context.now() - startedAt };
  }
}

function failureReason(error: unknown, context: CallContext): FailureReason {
  if (context.councilSignal.aborted) return { kind: "cancelled", message: "the council was cancelled" };
  if (context.signal.aborted) {
    return { kind: "deadline", message: `missed the stage deadline of ${Math.round(context.stageTimeoutMs / 1000)} s` };
  }
  if (error instanceof LlmError) return { kind: error.kind, message: error.message };
  return { kind: "error", message: error instanceof Error ? error.message : String(error) };
}
