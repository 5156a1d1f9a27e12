// The runner's prompt cache (Ollama's runner/ollamarunner/cache.go), per model: one cache per
// slot holding the tokens it last evaluated. A request reuses the longest common prefix of its
// prompt with a slot's tokens and evaluates only the rest, so a prompt that grows at its end
// (a conversation, a prompt prefilled earlier) costs only its new tokens.
//
// - A stock server takes the free slot with the longest common prefix (findLongestCacheSlot).
// - With OLLAMA_MULTIUSER_CACHE (findBestCacheSlot): a free slot whose whole cache is a prefix
//   of the prompt is used as is; otherwise the least recently used free slot is taken and the
//   longest prefix of any slot, busy or not, is copied (forked) into it.
// - A prompt found whole in the cache still evaluates its last token: the model needs a fresh
//   logit to sample from.
// - A new runner (a load, a reload for another num_ctx, a load after keep_alive or an unload)
//   starts with empty caches.
// What the fake leaves out: Ollama also keeps the generated tokens (all but the last) in the
// slot, so a conversation's next turn finds the assistant's answer cached as well; here a slot
// holds the prompt only.
import { createHash } from "node:crypto";
import { IMAGE_TOKENS, splitTokens, tokenId, VOCABULARY_SIZE } from "./tokens.js";

export interface CacheClaim {
  /** Prompt tokens found in the slot's cache: evaluated at no cost. */
  cachedTokens: number;
  /** Gives the slot back, holding the whole prompt once it was evaluated, else only the cached prefix. */
  release(evaluated: boolean): void;
}

export interface ClaimRequest {
  model: string;
  /** Which runner serves it: a different one (a fresh load) means every slot starts empty. */
  runner: number;
  slots: number;
  /** Token ids of the prompt as the model reads it. */
  prompt: readonly number[];
}

export interface KvCache {
  claim(request: ClaimRequest): CacheClaim;
  /** Forgets every slot of every model (the fake's reset). */
  clear(): void;
}

interface Slot {
  tokens: readonly number[];
  inUse: boolean;
  lastUsed: number;
}

interface ModelCache {
  runner: number;
  slots: Slot[];
}

export function createKvCache(options: { multiUser: boolean }): KvCache {
  const models = new Map<string, ModelCache>();
  let clock = 0;

  function cacheOf(request: ClaimRequest): ModelCache {
    let cache = models.get(request.model);
    if (!cache || cache.runner !== request.runner) {
      cache = { runner: request.runner, slots: [] };
      models.set(request.model, cache);
    }
    // Slots exist from the runner's start; `parallel` may have been raised by setModel since.
    while (cache.slots.length < request.slots) cache.slots.push({ tokens: [], inUse: false, lastUsed: 0 });
    return cache;
  }

  function pick(slots: Slot[], prompt: readonly number[]): { slot: Slot; common: number } {
    const free = slots.filter((slot) => !slot.inUse);
    if (!options.multiUser) {
      let best: { slot: Slot; common: number } | undefined;
      for (const slot of free) {
        const common = commonPrefix(slot.tokens, prompt);
        if (!best || common > best.common) best = { slot, common };
      }
      if (!best) throw new Error("fake-ollama: no free cache slot (the scheduler admitted more requests than slots)");
      return best;
    }
    let longest: { slot: Slot; common: number } | undefined;
    for (const slot of slots) {
      const common = commonPrefix(slot.tokens, prompt);
      if (!longest || common > longest.common) longest = { slot, common };
    }
    if (longest && !longest.slot.inUse && longest.common === longest.slot.tokens.length) return longest;
    const oldest = free.reduce<Slot | undefined>((old, slot) => (!old || slot.lastUsed < old.lastUsed ? slot : old), undefined);
    if (!oldest) throw new Error("fake-ollama: no free cache slot (the scheduler admitted more requests than slots)");
    const common = longest?.common ?? 0;
    if (longest && common > 0 && longest.slot !== oldest) oldest.tokens = longest.slot.tokens.slice(0, common);
    return { slot: oldest, common: Math.min(common, oldest.tokens.length) };
  }

  return {
    claim(request) {
      const { slot, common } = pick(cacheOf(request).slots, request.prompt);
      const cachedTokens = Math.max(0, Math.min(common, request.prompt.length - 1));
      slot.inUse = true;
      slot.lastUsed = ++clock;
      slot.tokens = request.prompt.slice(0, cachedTokens);
      let released = false;
      return {
        cachedTokens,
        release(evaluated) {
          if (released) return;
          released = true;
          slot.inUse = false;
          if (evaluated) slot.tokens = [...request.prompt];
        },
      };
    },
    clear: () => models.clear(),
  };
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let count = 0;
  while (count < a.length && count < b.length && a[count] === b[count]) count++;
  return count;
}

/**
 * A chat's token ids as the fake's template renders them: per message a role header
 * (<|start_header_id|>, the role, <|end_header_id|>), its images (Ollama puts an [img-N] tag
 * for each before the text), the content's tokens and <|eot_id|>: the MESSAGE_TEMPLATE_TOKENS
 * and IMAGE_TOKENS that countPromptTokens adds.
 */
export function templatedTokenIds(messages: ReadonlyArray<{ role: string; content: string; images?: readonly unknown[] }>): number[] {
  return messages.flatMap((m) => [
    ...["<|start_header_id|>", m.role, "<|end_header_id|>"].map(tokenId),
    ...(m.images ?? []).flatMap((image) => imageTokenIds(String(image))),
    ...[...splitTokens(m.content), "<|eot_id|>"].map(tokenId),
  ]);
}

/** An image's embeddings as ids: the same image reads the same (a cache hit), another differs from its first one. */
function imageTokenIds(image: string): number[] {
  const seed = createHash("sha256").update(image).digest().readUInt32BE(0);
  return Array.from({ length: IMAGE_TOKENS }, (_, index) => (seed + index) % VOCABULARY_SIZE);
}
