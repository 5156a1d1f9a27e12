import { capabilitiesWithoutVision, ModelCannotSeeError } from "../src/llm/errors.js";
import { type CallUsage, type ChatPart, type ChatRequest, type LlmClient, VISION } from "../src/llm/port.js";

// A recording LLM client for engine tests, after vercel/ai's mock model: each model's replies
// are scripted as a value, a list (one per call, in order) or a function of the request, and
// an unscripted call throws, so a test never passes on a reply it did not write. Like the
// router, it refuses images for a model whose capabilities lack "vision" (by default every
// model has only "completion").

export type ScriptedReply =
  | string
  | {
      text?: string;
      /** Thrown after the text's deltas (or at once when there is no text). */
      error?: Error;
      /** Waits this long before answering. */
      delayMs?: number;
      /** Never answers: holds until the call's signal aborts. */
      hang?: boolean;
      usage?: Partial<CallUsage>;
    };

export type Script = ScriptedReply | ScriptedReply[] | ((request: ChatRequest, call: number) => ScriptedReply);

export interface RecordedCall {
  request: ChatRequest;
  aborted: boolean;
  startedAt: number;
  endedAt?: number;
}

export interface ScriptedLlmOptions {
  /** What capabilities() answers per model; a model not here has ["completion"]. */
  capabilities?: Record<string, string[]>;
}

export function createScriptedLlm(scripts: Record<string, Script>, options: ScriptedLlmOptions = {}) {
  const calls: RecordedCall[] = [];
  const callsPerModel = new Map<string, number>();
  const preloads: Array<{ model: string; numCtx: number }> = [];

  const capabilitiesOf = (model: string) => [...(options.capabilities?.[model] ?? ["completion"])];

  function replyFor(request: ChatRequest): ScriptedReply {
    const script = scripts[request.model];
    if (script === undefined) throw new Error(`scripted-llm: no script for model "${request.model}"`);
    const index = callsPerModel.get(request.model) ?? 0;
    callsPerModel.set(request.model, index + 1);
    if (typeof script === "function") return script(request, index);
    if (Array.isArray(script)) {
      const reply = script[index];
      if (reply === undefined) throw new Error(`scripted-llm: model "${request.model}" was called ${index + 1} times, but only ${script.length} replies are scripted`);
      return reply;
    }
    return script;
  }

  const client: LlmClient = {
    async *chat(request, { signal }): AsyncGenerator<ChatPart> {
      const record: RecordedCall = { request, aborted: false, startedAt: performance.now() };
      calls.push(record);
      const listed = capabilitiesOf(request.model);
      if (request.messages.some((message) => (message.images?.length ?? 0) > 0) && !listed.includes(VISION)) {
        record.endedAt = record.startedAt;
        throw new ModelCannotSeeError(request.model, capabilitiesWithoutVision(listed));
      }
      const reply = replyFor(request);
      const scripted = typeof reply === "string" ? { text: reply } : reply;
      try {
        if (scripted.delayMs) await sleep(scripted.delayMs, signal);
        if (scripted.hang) await sleep(Number.POSITIVE_INFINITY, signal);
        const text = scripted.text ?? "";
        const words = text.match(/\S+\s*|\s+/g) ?? [];
        for (const word of words) {
          signal.throwIfAborted();
          yield { type: "delta", text: word };
        }
        if (scripted.error) throw scripted.error;
        yield {
          type: "done",
          usage: {
            promptTokens: request.messages.reduce((sum, message) => sum + Math.ceil(message.content.length / 4), 0),
            completionTokens: words.length,
            loadMs: 0,
            promptEvalMs: 1,
            evalMs: Math.max(1, words.length * 10),
            totalMs: Math.max(1, words.length * 10),
            doneReason: "stop",
            ...scripted.usage,
          },
        };
      } catch (error) {
        record.aborted = signal.aborted;
        throw error;
      } finally {
        record.endedAt = performance.now();
      }
    },
    async preload(model, numCtx) {
      preloads.push({ model, numCtx });
    },
    async capabilities(model) {
      return capabilitiesOf(model);
    },
  };
  return { client, calls, preloads };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done() {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
