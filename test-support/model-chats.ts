import type { FakeOllamaServer } from "./fake-ollama/index.js";
import { imagesOf } from "./fake-ollama/index.js";

// What the fake Ollama was asked to answer, for the tests that check what reached a model's
// prompt (a question's files): chats with messages, a preload (no messages) left out.

export interface ModelChat {
  model: string;
  /** Every message's content, in order, one after the other. */
  prompt: string;
  /** The images the request carried. */
  images: string[];
}

/** A point in the fake's record: `chatsSince(fake, mark)` lists what was asked after it. */
export const requestMark = (fake: FakeOllamaServer): number => fake.requests.length;

export function chatsSince(fake: FakeOllamaServer, mark = 0): ModelChat[] {
  return fake.requests.slice(mark).flatMap((request) => {
    const messages = (request.body as { messages?: Array<{ content?: unknown }> } | undefined)?.messages;
    if (request.path !== "/api/chat" || !Array.isArray(messages) || messages.length === 0) return [];
    const prompt = messages.map((message) => (typeof message.content === "string" ? message.content : "")).join("\n");
    return [{ model: request.model ?? "", prompt, images: imagesOf(request) }];
  });
}
