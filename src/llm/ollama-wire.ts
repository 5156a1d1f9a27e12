import { isErrorBody } from "./http-failures.js";
import type { CallUsage, ChatRequest } from "./port.js";

// Ollama's /api/chat in both directions: the body we send, and what one NDJSON line of the
// answer means.

/**
 * The body of a streamed chat. `think` is left out on purpose: models without the thinking
 * capability reject it with 400 even when false, and `keep_alive` only goes when set.
 */
export function chatBody(request: ChatRequest): string {
  return JSON.stringify({
    model: request.model,
    messages: request.messages,
    stream: true,
    options: request.options,
    ...(request.format !== undefined && { format: request.format }),
    ...(request.keepAlive !== undefined && { keep_alive: request.keepAlive }),
  });
}

/** An empty chat: Ollama loads the model with this num_ctx and answers at once, generating nothing. */
export function preloadBody(model: string, numCtx: number, keepAlive: string | number): string {
  return JSON.stringify({ model, messages: [], stream: false, options: { num_ctx: numCtx }, keep_alive: keepAlive });
}

/** What one line of a chat stream says. */
export type ChatLine =
  | { kind: "content"; text: string }
  | { kind: "done"; usage: CallUsage }
  | { kind: "error"; message: string }
  | { kind: "not-ollama"; line: string };

interface ChatChunk {
  message?: { content?: unknown };
  done?: unknown;
  done_reason?: unknown;
  total_duration?: unknown;
  load_duration?: unknown;
  prompt_eval_count?: unknown;
  prompt_eval_duration?: unknown;
  eval_count?: unknown;
  eval_duration?: unknown;
}

export function readChatLine(line: string): ChatLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: "not-ollama", line };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { kind: "not-ollama", line };
  if (isErrorBody(parsed)) return { kind: "error", message: parsed.error };
  const chunk = parsed as ChatChunk;
  if (chunk.done === true) return { kind: "done", usage: usageOf(chunk) };
  // Thinking chunks carry empty content; they are not part of the answer.
  const content = chunk.message?.content;
  return { kind: "content", text: typeof content === "string" ? content : "" };
}

const NS_PER_MS = 1e6;

/** Ollama omits zero counts (Go's omitempty), so a missing number is 0. */
function usageOf(chunk: ChatChunk): CallUsage {
  const count = (value: unknown) => (typeof value === "number" ? value : 0);
  const ms = (value: unknown) => count(value) / NS_PER_MS;
  return {
    promptTokens: count(chunk.prompt_eval_count),
    completionTokens: count(chunk.eval_count),
    loadMs: ms(chunk.load_duration),
    promptEvalMs: ms(chunk.prompt_eval_duration),
    evalMs: ms(chunk.eval_duration),
    totalMs: ms(chunk.total_duration),
    doneReason: typeof chunk.done_reason === "string" ? chunk.done_reason : "stop",
  };
}
