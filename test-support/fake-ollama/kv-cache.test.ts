// The prompt cache, rule by rule, over HTTP: what a request finds cached (the record's
// cachedTokens), what Ollama reports for it (prompt_eval_count, prompt_eval_duration), and
// when the cache is empty again.
import { describe, expect, it } from "vitest";
import type { FakeModel, FakeOllama, RecordedRequest } from "./model-script.js";
import { type Chunk, NS_PER_MS, post, readNdjson, useFake } from "./test-helpers.js";
import { countPromptTokens, IMAGE_TOKENS } from "./tokens.js";

// Two 1×1 PNGs, as base64 (what a client sends in `images`).
const RED_PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
const BLUE_PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC";

const start = useFake();

// 40 tokens of system text, then a question: a prompt that later requests extend.
const SYSTEM = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
const conversation = (...turns: string[]) => [{ role: "system", content: SYSTEM }, ...turns.map((content) => ({ role: "user", content }))];
const MODEL: FakeModel = { answer: "Fine." };

interface Sent {
  record: RecordedRequest;
  final: Chunk;
}

async function chat(fake: FakeOllama, messages: Array<{ role: string; content: string; images?: string[] }>, extra: Record<string, unknown> = {}): Promise<Sent> {
  const marker = `${Math.random()}`;
  const response = await post(fake.url, "/api/chat", { model: "m", messages, ...extra }, { headers: { "Content-Type": "application/json", "X-Marker": marker } });
  const final = (await readNdjson(response)).at(-1) as Chunk;
  const record = await fake.waitForRequest((r) => r.headers["x-marker"] === marker && r.finishedAt !== undefined);
  return { record, final };
}

/** Starts a chat that holds its slot (a hang fault) until `stop` is called. */
async function holdSlot(fake: FakeOllama, messages: Array<{ role: string; content: string }>) {
  const controller = new AbortController();
  const marker = `${Math.random()}`;
  void post(fake.url, "/api/chat", { model: "m", messages }, { signal: controller.signal, headers: { "Content-Type": "application/json", "X-Marker": marker } }).catch(() => {});
  const record = await fake.waitForRequest((r) => r.headers["x-marker"] === marker && r.firstByteAt !== undefined);
  return {
    record,
    stop: async () => {
      controller.abort();
      await fake.waitForSettled(record.id);
    },
  };
}

describe("the prompt cache", () => {
  it("evaluates only what follows the cached prefix, and still reports the whole prompt", async () => {
    // 1000 tok/s: the first prompt costs about 50 ms, the extension about 10 ms.
    const fake = await start({ models: { m: { ...MODEL, prefillTokensPerSecond: 1000 } } });
    const first = await chat(fake, conversation("Why is the sky blue?"));
    expect(first.record.cachedTokens).toBe(0);

    const grown = conversation("Why is the sky blue?", "And why is it red at sunset?");
    const second = await chat(fake, grown);
    expect(second.record.cachedTokens).toBe(countPromptTokens(conversation("Why is the sky blue?")));
    expect(second.final.prompt_eval_count).toBe(countPromptTokens(grown));
    // The duration covers the evaluated tokens only: far below what the whole prompt costs.
    const wholeMs = countPromptTokens(grown);
    expect((second.final.prompt_eval_duration as number) / NS_PER_MS).toBeLessThan(wholeMs / 2);
  });

  it("evaluates one token of a prompt found whole in the cache", async () => {
    const fake = await start({ models: { m: MODEL } });
    const messages = conversation("Why is the sky blue?");
    await chat(fake, messages);
    const again = await chat(fake, messages);
    expect(again.record.cachedTokens).toBe(countPromptTokens(messages) - 1);
    expect(again.final.prompt_eval_count).toBe(countPromptTokens(messages));
  });

  it("stops the shared prefix where the texts differ, even inside a message", async () => {
    const fake = await start({ models: { m: MODEL } });
    await chat(fake, conversation("Why is the sky blue? Answer briefly."));
    const other = await chat(fake, conversation("Why is the sky blue? Answer at length."));
    // The system message (its content and 4 template tokens), the header of the user message, and "Why is the sky blue? Answer".
    expect(other.record.cachedTokens).toBe(countPromptTokens([{ content: SYSTEM }]) + 3 + 7);
  });

  it("gives each slot its own cache and takes the free slot with the longest common prefix", async () => {
    const fake = await start({ models: { m: { ...MODEL, parallel: 2, fault: { kind: "hang", afterTokens: 1, times: 1 } } } });
    // Two prompts at once land in two slots: the first holds its slot while the second runs.
    const a = conversation("Tell me about cats.");
    const b = conversation("Tell me about the history of the Roman aqueducts.");
    const held = await holdSlot(fake, a);
    await chat(fake, b);
    await held.stop();
    // Each later prompt finds its own earlier prompt, whichever slot it is in.
    const aMore = await chat(fake, [...a, { role: "user", content: "More, please." }]);
    expect(aMore.record.cachedTokens).toBe(countPromptTokens(a));
    const bMore = await chat(fake, [...b, { role: "user", content: "More, please." }]);
    expect(bMore.record.cachedTokens).toBe(countPromptTokens(b));
  });

  it("never forks a busy slot's prefix on a stock server, and does with OLLAMA_MULTIUSER_CACHE", async () => {
    for (const multiUserCache of [false, true]) {
      const fake = await start({ models: { m: { ...MODEL, parallel: 2 } }, multiUserCache });
      const shared = conversation("Tell me about cats.");
      await chat(fake, shared);
      // The slot holding the shared prefix is now busy with a longer prompt.
      fake.setModel("m", { ...MODEL, parallel: 2, fault: { kind: "hang", afterTokens: 1, times: 1 } });
      const busy = await holdSlot(fake, [...shared, { role: "user", content: "In detail." }]);
      expect(busy.record.cachedTokens).toBe(countPromptTokens(shared));
      const other = await chat(fake, [...shared, { role: "user", content: "Briefly." }]);
      expect(other.record.cachedTokens, `multiUserCache ${multiUserCache}`).toBe(multiUserCache ? countPromptTokens(shared) : 0);
      await busy.stop();
    }
  });

  it("counts an image's tokens before its message's text, and finds the same image cached where another is not", async () => {
    const fake = await start({ models: { m: { ...MODEL, vision: true } } });
    const withImage = (image: string, question: string) => [{ role: "system", content: SYSTEM }, { role: "user", content: question, images: [image] }];
    const first = await chat(fake, withImage(RED_PIXEL, "What colour is it?"));
    expect(first.final.prompt_eval_count).toBe(countPromptTokens([{ content: SYSTEM }, { content: "What colour is it?" }]) + IMAGE_TOKENS);
    // The same image, another question: the system message, the user header and the image are cached.
    const again = await chat(fake, withImage(RED_PIXEL, "Is it bright?"));
    expect(again.record.cachedTokens).toBe(countPromptTokens([{ content: SYSTEM }]) + 3 + IMAGE_TOKENS);
    // Another image: the cache ends where the images differ.
    const other = await chat(fake, withImage(BLUE_PIXEL, "Is it bright?"));
    expect(other.record.cachedTokens).toBeLessThan(countPromptTokens([{ content: SYSTEM }]) + 3 + IMAGE_TOKENS);
    expect(other.record.cachedTokens).toBeGreaterThanOrEqual(countPromptTokens([{ content: SYSTEM }]) + 3);
  });

  it("starts empty after a reload for another num_ctx and after an unload", async () => {
    const fake = await start({ models: { m: MODEL } });
    const messages = conversation("Why is the sky blue?");
    await chat(fake, messages, { options: { num_ctx: 2048 } });
    const reloaded = await chat(fake, messages, { options: { num_ctx: 4096 } });
    expect(reloaded.record.loaded).toBe(true);
    expect(reloaded.record.cachedTokens).toBe(0);

    await chat(fake, messages, { options: { num_ctx: 4096 }, keep_alive: 0 });
    const afterUnload = await chat(fake, messages, { options: { num_ctx: 4096 } });
    expect(afterUnload.record.loaded).toBe(true);
    expect(afterUnload.record.cachedTokens).toBe(0);
  });
});
