// The seam between the council and the models: one streaming chat call with Ollama's options,
// cancellable by its own signal. The Ollama client, the router across workers and the tests'
// scripted model all implement it; the council engine knows nothing else about LLMs.

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
  /**
   * Pictures for a model that can see: each the file's bytes in standard base64 (not a data:
   * URL), as Ollama's `images`. Ollama silently drops them for most models that cannot see,
   * so the router refuses them for a model without the "vision" capability.
   */
  images?: string[];
}

/** The capability /api/show lists for a model that can take `images`. */
export const VISION = "vision";

export interface ChatOptions {
  temperature?: number;
  /** Always set: Ollama's default (-1) lets a model ramble without bound. */
  num_predict: number;
  /** A load-time option: the same value on every call to a model, or Ollama reloads it. */
  num_ctx: number;
  seed?: number;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  options: ChatOptions;
  /** "json", or a JSON Schema the answer must match (Ollama's structured outputs). */
  format?: "json" | Record<string, unknown>;
  /** How long Ollama keeps the model loaded afterwards, e.g. "30m". */
  keepAlive?: string | number;
}

/** What Ollama's final chunk reports, with its nanoseconds turned into milliseconds. */
export interface CallUsage {
  promptTokens: number;
  completionTokens: number;
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
  /** Ollama's total_duration: its own time on the call, queueing in Ollama included. */
  totalMs: number;
  /** "stop", or "length" when num_predict cut the answer. */
  doneReason: string;
}

export type ChatPart = { type: "delta"; text: string } | { type: "done"; usage: CallUsage };

export interface CallOptions {
  signal: AbortSignal;
  /** Gives up with a timeout error after this long; the caller's signal still cancels sooner. */
  timeoutMs?: number;
}

export interface LlmClient {
  /** Streams the answer; the last part is always "done". Breaking out of the loop cancels the call. */
  chat(request: ChatRequest, options: CallOptions): AsyncIterable<ChatPart>;
  /** Loads a model with the given num_ctx and keeps it loaded, without generating. */
  preload(model: string, numCtx: number, keepAlive: string | number): Promise<void>;
  /** What the model can do, as Ollama's /api/show lists it: "completion", "vision", "thinking", "tools"... */
  capabilities(model: string): Promise<string[]>;
}
