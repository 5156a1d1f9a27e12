import { createHash } from "node:crypto";
import type { CallUsage, ChatPart, ChatRequest, LlmClient } from "../llm/port.js";

// How the evaluation runs several strategies on the same answers: every strategy is a real
// council run through the engine, but a request identical to one an earlier strategy already
// sent for this item (same model, messages, options and format) is answered with that reply and
// its usage again, instead of asking the model. So synthesis, best-of and weighted share stage 1
// and the review, vote shares its first sample, each strategy's tokens are what it would spend
// alone, and the comparison is paired. Requests carry the council's seeded shuffles, so equal
// stages make equal requests.

export interface ReplayedCall {
  key: string;
  text: string;
  usage: CallUsage;
}

export interface ReplayClient extends LlmClient {
  /** Starts one strategy's run: the n-th identical request of a run gets the n-th reply kept. */
  beginRun(): void;
  /** Replies kept so far, optionally only those whose request `keep` selects. */
  kept(keep?: (request: ChatRequest) => boolean): ReplayedCall[];
  /** Replies kept by an earlier process (the run file), to answer from again. */
  restore(calls: readonly ReplayedCall[]): void;
  /** Forgets every reply: the next item shares nothing with this one. */
  clear(): void;
}

function requestKey(request: ChatRequest): string {
  const { model, messages, options, format } = request;
  return createHash("sha256").update(JSON.stringify({ model, messages, options, format: format ?? null })).digest("base64url").slice(0, 22);
}

export function createReplayClient(inner: LlmClient): ReplayClient {
  let replies = new Map<string, ReplayedCall>();
  let selectedBy = new Map<string, ChatRequest>();
  let seen = new Map<string, number>();

  const keyOf = (request: ChatRequest) => {
    const base = requestKey(request);
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return `${base}#${occurrence}`;
  };

  async function* chat(request: ChatRequest, options: Parameters<LlmClient["chat"]>[1]): AsyncGenerator<ChatPart> {
    const key = keyOf(request);
    const kept = replies.get(key);
    if (kept) {
      options.signal.throwIfAborted();
      if (kept.text) yield { type: "delta", text: kept.text };
      yield { type: "done", usage: kept.usage };
      return;
    }
    let text = "";
    for await (const part of inner.chat(request, options)) {
      if (part.type === "delta") text += part.text;
      else {
        replies.set(key, { key, text, usage: part.usage });
        selectedBy.set(key, request);
      }
      yield part;
    }
  }

  return {
    chat,
    preload: (model, numCtx, keepAlive) => inner.preload(model, numCtx, keepAlive),
    capabilities: (model) => inner.capabilities(model),
    beginRun: () => {
      seen = new Map();
    },
    kept: (keep = () => true) => [...replies.values()].filter((call) => {
      const request = selectedBy.get(call.key);
      return request !== undefined && keep(request);
    }),
    restore(calls) {
      for (const call of calls) replies.set(call.key, call);
    },
    clear() {
      replies = new Map();
      selectedBy = new Map();
      seen = new Map();
    },
  };
}
