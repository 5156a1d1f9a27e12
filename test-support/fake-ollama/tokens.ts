// A deterministic stand-in for a model's tokenizer, exported so tests and benchmarks can
// compute the counts the fake will report.
//
// A token is a run of letters, digits and underscores, or one other visible character, each
// with the whitespace before it; whitespace at the very end joins the last token. So
// "Hello, world!" is ["Hello", ",", " world", "!"]. Splitting punctuation off (rather than
// taking whole whitespace-separated words) keeps JSON answers from collapsing into a single
// "token": a compact ballot like {"rank":["A","B"]} costs 15 tokens, about what a BPE
// tokenizer spends, so structured-output stages take realistic simulated time.
import type { FakeMessage } from "./model-script.js";

const TOKEN = /\s*(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_])/gu;

/** The tokens of `text`; joining them gives `text` back exactly. */
export function splitTokens(text: string): string[] {
  const tokens: string[] = [...(text.match(TOKEN) ?? [])];
  const consumed = tokens.reduce((length, token) => length + token.length, 0);
  if (consumed < text.length) {
    const tail = text.slice(consumed);
    const last = tokens.length - 1;
    if (last >= 0) tokens[last] += tail;
    else tokens.push(tail);
  }
  return tokens;
}

export function countTokens(text: string): number {
  return splitTokens(text).length;
}

/**
 * Tokens a chat template adds around each message (role header and end-of-turn markers,
 * e.g. llama3's <|start_header_id|>role<|end_header_id|>\n\n ... <|eot_id|>).
 */
export const MESSAGE_TEMPLATE_TOKENS = 4;

/**
 * Tokens an image takes in the prompt. Ollama plans with the same figure when it decides which
 * messages fit (chatPrompt in server/prompt.go: "Clip images are represented as 768 tokens");
 * a real model's count varies (gemma3 256, llava 576, qwen2.5vl with the image's size).
 */
export const IMAGE_TOKENS = 768;

/** Prompt tokens of a chat before truncation: every message's content and images, plus its template overhead. */
export function countPromptTokens(messages: readonly Pick<FakeMessage, "content" | "images">[]): number {
  return messages.reduce((sum, message) => sum + countTokens(message.content) + IMAGE_TOKENS * (message.images?.length ?? 0) + MESSAGE_TEMPLATE_TOKENS, 0);
}

// Ids only need to be stable and look like a vocabulary's; FNV-1a is enough for that.
export const VOCABULARY_SIZE = 128_256;

export function tokenId(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % VOCABULARY_SIZE;
}
