// The vocabulary a test or benchmark uses to script the fake Ollama: what each model says,
// how fast it says it, how it fails, and what the fake recorded about every request.

/** A chat message as the client sent it (only the fields the fake reads). */
export interface FakeMessage {
  role: string;
  content: string;
  thinking?: string;
  images?: unknown[];
}

/** The parsed generation request handed to an `answer` function. */
export interface FakeGenerationRequest {
  endpoint: "chat" | "generate";
  /** The model name exactly as the client sent it. */
  model: string;
  /** Chat: the messages. Generate: `system` (when given) and the prompt as a user message. */
  messages: readonly FakeMessage[];
  /** Chat: the last user message. Generate: the prompt. What a scripted answer usually reads. */
  prompt: string;
  format?: unknown;
  options: Readonly<Record<string, unknown>>;
  think?: unknown;
  /** The whole JSON body, for anything else a test wants to look at. */
  body: Readonly<Record<string, unknown>>;
}

export interface FakeModel {
  /**
   * The answer text. A function receives the parsed request and returns the text (lets a test
   * answer ballots from the prompt). Default: a deterministic sentence naming the model (see
   * `defaultAnswer`). When `format` is set and no answer is given: a valid instance of the JSON
   * Schema (JSON.stringify'd), or a small object for "json". A given answer is sent as is even
   * with `format`: the test is in charge.
   */
  answer?: string | ((request: FakeGenerationRequest) => string);
  /**
   * A thinking trace, streamed in `message.thinking` (chat) or `thinking` (generate) chunks
   * before the content, unless the request has `think: false`. Like Ollama, a model without
   * one rejects `think: true` with 400 `"<model>" does not support thinking`, and `show`
   * lists the "thinking" capability only for models with one.
   */
  thinking?: string;
  /**
   * The model can see: `show` lists the "vision" capability, and chat and generate accept
   * `images`. Without it, a request with images gets the 500 Ollama's runner answers for a
   * model without an image encoder (see vision.ts). Default false.
   */
  vision?: boolean;
  /** Tokens per second while answering. Default Infinity: every token at once. */
  decodeTokensPerSecond?: number;
  /** Prompt tokens per second before the first token. Default Infinity. */
  prefillTokensPerSecond?: number;
  /** Cost of the first use and of every reload (a changed num_ctx, or after keep_alive). Default 0. */
  loadMs?: number;
  /** Generation slots, like OLLAMA_NUM_PARALLEL. Default 1; more requests wait FIFO. */
  parallel?: number;
  fault?: FakeFault;

  // Metadata for tags/show/ps. All optional with defaults that look like a small llama.
  /** Bytes on disk (tags) and in memory (ps). Default 4.9 GB. */
  sizeBytes?: number;
  /** Default "llama". */
  family?: string;
  /** Default "8.0B". */
  parameterSize?: string;
  /** Default "Q4_K_M". */
  quantizationLevel?: string;
  /**
   * The num_ctx used when a request sets none (Ollama's default is 4096 on small GPUs).
   * Shown by `show` as the Modelfile parameter `num_ctx` and by `ps` as `context_length`.
   */
  contextLength?: number;
  /**
   * What the model was trained for, shown by `show` in `model_info["<family>.context_length"]`.
   * Real Ollama reports the trained length there, not the num_ctx it runs with: a client that
   * reads it as "how much prompt fits" is wrong, so the fake keeps the two apart.
   * Default max(contextLength, 131072).
   */
  trainedContextLength?: number;
  /** Bytes in VRAM for ps. Default sizeBytes (fully on the GPU). */
  vramBytes?: number;
  /** 64 hex digits. Default: sha256 of the model's full name. */
  digest?: string;
}

export type FakeFault = (
  /** Answer at once with this status and `{"error": message}`; 503 defaults to Ollama's busy text. */
  | { kind: "http-error"; status: number; message?: string }
  /**
   * Status 200, `afterTokens` tokens, then an NDJSON line `{"error": message}` and the end.
   * With afterTokens 0, or on an unstreamed request, Ollama has not written anything yet and
   * answers 500 `{"error": message}` as JSON instead; the fake does the same.
   */
  | { kind: "error-mid-stream"; afterTokens: number; message?: string }
  /** Never finishes: no headers at all when afterTokens is unset; holds its slot until the client goes away. */
  | { kind: "hang"; afterTokens?: number }
  /** Destroys the socket when `afterTokens` tokens are out, before the done chunk. */
  | { kind: "cut"; afterTokens: number }
  /** Answers prose (the default sentence) although `format` was given. */
  | { kind: "non-json" }
) & {
  /**
   * Apply to the first N generation requests of that model only, then behave. Default: always.
   * Counted: valid chat/generate requests with something to generate (not 4xx, not load-only).
   */
  times?: number;
};

export interface FakeOllamaOptions {
  /** Name -> script. Names not here are "not pulled": 404. "x" and "x:latest" are the same model. */
  models?: Record<string, FakeModel>;
  /** For /api/version. Default "0.12.6". */
  version?: string;
  /** Like OLLAMA_MAX_QUEUE: a request that would wait while this many already wait gets 503. Default 512. */
  maxQueue?: number;
  /** Default 0: any free port. */
  port?: number;
  /**
   * Like OLLAMA_MULTIUSER_CACHE: a request takes the least recently used free slot and forks the
   * longest cached prefix of any slot into it, instead of taking the free slot with the longest
   * common prefix. Default false, as in Ollama.
   */
  multiUserCache?: boolean;
}

export interface RecordedRequest {
  id: number;
  method: string;
  /** The path without the query: "/api/chat", "/api/generate", "/api/tags", ... */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  model?: string;
  stream?: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
  keepAlive?: unknown;
  think?: unknown;
  /** The num_ctx this request ran with (its own, or the model's contextLength). */
  numCtx?: number;
  /** The fault applied to this request, if any. */
  fault?: FakeFault["kind"];
  /** Status sent. */
  status?: number;
  /** After truncation at num_ctx: what prompt_eval_count says. */
  promptTokens?: number;
  /** Of those, found in the slot's prompt cache and not evaluated again (prompt_eval_duration covers the rest). */
  cachedTokens?: number;
  /** Tokens sent (thinking and content): what eval_count says. */
  completionTokens?: number;
  doneReason?: string;
  /** This request paid a (re)load. */
  loaded: boolean;
  /** The client went away before the response ended. */
  aborted: boolean;
  /** The response ended normally (whatever its status). A "cut" fault leaves both flags false. */
  completed: boolean;
  /** performance.now() milliseconds. */
  receivedAt: number;
  /** Asked the scheduler for a slot (after validation); from here waiting()/inFlight() count it. */
  queuedAt?: number;
  /** Got its slot: load, prefill and generation follow. admittedAt - queuedAt is the queue wait (plus any load it waited for). */
  admittedAt?: number;
  firstByteAt?: number;
  /** Set once the request is settled: completed, aborted or cut. */
  finishedAt?: number;
}

export interface FakeOllama {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: readonly RecordedRequest[];
  /** Add or replace a model at run time; replacing resets its fault counter. */
  setModel(name: string, model: FakeModel): void;
  removeModel(name: string): void;
  /** Loads caused by a changed num_ctx after the first load. */
  reloads(model: string): number;
  /** Every load: the first, reloads, and loads after keep_alive expired. */
  loads(model: string): number;
  /**
   * Requests holding a slot (loading, prefilling, generating or hanging). As in Ollama, a client
   * that leaves during a load or a prefill is recorded as aborted at once, but the load or the
   * prefill runs to its end before the slot is free (ollama#11889).
   */
  inFlight(model?: string): number;
  /** Requests queued for a slot. */
  waiting(model?: string): number;
  /** Resolves with the first request matching now or later (re-checked on every change). Default timeout 5 s. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves when that request is completed, aborted or cut. Default timeout 5 s. */
  waitForSettled(id: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Clears the record, the loaded state and the fault counters; requests in flight carry on. */
  reset(): void;
  /** Stops, destroying open sockets (hung requests too); never hangs; safe to call twice. */
  close(): Promise<void>;
}
