// Images for models that can see: sent as Ollama's `images`, which models can see read from
// /api/show and kept for a while, and a clear refusal for a model that cannot.
import { describe, expect, it } from "vitest";
import { imagesOf, NO_VISION_ERROR } from "../../test-support/fake-ollama/index.js";
import { LlmBadResponseError, ModelCannotSeeError } from "./errors.js";
import { createOllamaClient } from "./ollama-client.js";
import { CAPABILITIES_TTL_MS, createLlmRouter } from "./router.js";
import { answerOf, chatRequest, rejectionOf, useServers } from "./test-helpers.js";
import type { ChatRequest } from "./port.js";

const servers = useServers();
const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex").toString("base64");
const models = { "llava:7b": { vision: true, answer: "a cat" }, "llama3.2:3b": { answer: "no idea" } };

function withImage(model: string, images = [png]): ChatRequest {
  return chatRequest(model, "What is in this picture?", {
    messages: [
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "What is in this picture?", images },
    ],
  });
}

const shows = (fake: { requests: readonly { path: string }[] }) => fake.requests.filter((r) => r.path === "/api/show").length;
const chats = (fake: { requests: readonly { path: string }[] }) => fake.requests.filter((r) => r.path === "/api/chat").length;

describe("the Ollama client", () => {
  it("sends a message's images as Ollama's images field, as they were given", async () => {
    const fake = await servers.fake({ models });
    const client = createOllamaClient({ baseUrl: fake.url });

    expect(await answerOf(client, withImage("llava:7b", [png, png]))).toBe("a cat");

    const [chat] = fake.requests.filter((r) => r.path === "/api/chat");
    expect(chat?.status).toBe(200);
    expect(imagesOf(chat!)).toEqual([png, png]);
    expect((chat?.body as { messages: unknown[] }).messages).toEqual([
      { role: "system", content: "Answer briefly." },
      { role: "user", content: "What is in this picture?", images: [png, png] },
    ]);
  });

  it("reads a model's capabilities from /api/show", async () => {
    const fake = await servers.fake({ models });
    const client = createOllamaClient({ baseUrl: fake.url });
    expect(await client.capabilities("llava:7b")).toEqual(["completion", "vision"]);
    expect(await client.capabilities("llama3.2:3b")).toEqual(["completion"]);
  });

  it("an Ollama too old to list capabilities: none known; a list that is not one of names: a bad response", async () => {
    const url = await servers.raw((_request, response) => response.writeHead(200).end(JSON.stringify({ details: { family: "llama" } })));
    expect(await createOllamaClient({ baseUrl: url }).capabilities("old")).toEqual([]);

    const odd = await servers.raw((_request, response) => response.writeHead(200).end(JSON.stringify({ capabilities: "vision" })));
    expect(await rejectionOf(createOllamaClient({ baseUrl: odd }).capabilities("m"))).toBeInstanceOf(LlmBadResponseError);
  });

  it("Ollama's runner refusing an image: ModelCannotSeeError naming the model, with Ollama's words", async () => {
    const fake = await servers.fake({ models });
    const client = createOllamaClient({ baseUrl: fake.url });

    const error = await rejectionOf(answerOf(client, withImage("llama3.2:3b")));

    expect(error).toBeInstanceOf(ModelCannotSeeError);
    expect(error).toMatchObject({ kind: "refused", model: "llama3.2:3b" });
    expect((error as Error).message).toBe(
      `model llama3.2:3b cannot see images (${fake.url} answered: ${NO_VISION_ERROR}); send images only to a model that can, such as llava, gemma3 or qwen2.5vl, or describe the image in words`,
    );
  });
});

describe("the router", () => {
  it("sends images to a model that can see, asking /api/show once for many calls", async () => {
    const fake = await servers.fake({ models });
    const router = createLlmRouter({ urls: [fake.url] });

    const answers = await Promise.all([answerOf(router, withImage("llava:7b")), answerOf(router, withImage("LLaVA:7b"))]);
    expect(await answerOf(router, withImage("llava:7b"))).toBe("a cat");

    expect(answers).toEqual(["a cat", "a cat"]);
    expect(shows(fake)).toBe(1);
    expect(fake.requests.filter((r) => r.path === "/api/chat").map(imagesOf)).toEqual([[png], [png], [png]]);
    expect(await router.capabilities("llava:7b")).toEqual(["completion", "vision"]);
    expect(shows(fake)).toBe(1);
  });

  it("refuses images for a model that cannot see before sending anything, naming it and what it can do", async () => {
    const fake = await servers.fake({ models });
    const router = createLlmRouter({ urls: [fake.url] });

    const error = await rejectionOf(answerOf(router, withImage("llama3.2:3b")));

    expect(error).toBeInstanceOf(ModelCannotSeeError);
    expect((error as Error).message).toBe(
      "model llama3.2:3b cannot see images (its capabilities are completion, without vision); send images only to a model that can, such as llava, gemma3 or qwen2.5vl, or describe the image in words",
    );
    expect(chats(fake)).toBe(0);
    // Without images the same model answers, and nothing more is asked of /api/show.
    expect(await answerOf(router, chatRequest("llama3.2:3b"))).toBe("no idea");
    expect(shows(fake)).toBe(1);
  });

  it("asks again once the capabilities are older than CAPABILITIES_TTL_MS", async () => {
    const fake = await servers.fake({ models });
    let clock = 0;
    const router = createLlmRouter({ urls: [fake.url], now: () => clock });

    await router.capabilities("llava:7b");
    clock += CAPABILITIES_TTL_MS - 1;
    await router.capabilities("llava:7b");
    expect(shows(fake)).toBe(1);
    clock += 1;
    await router.capabilities("llava:7b");
    expect(shows(fake)).toBe(2);
  });

  it("keeps no failed lookup: the next call asks again", async () => {
    let failures = 1;
    const url = await servers.raw((request, response) => {
      if (request.url === "/api/tags") return response.end(JSON.stringify({ models: [{ name: "eye:latest", model: "eye:latest" }] }));
      if (failures-- > 0) return response.writeHead(500).end(JSON.stringify({ error: "something broke" }));
      response.end(JSON.stringify({ capabilities: ["completion", "vision"] }));
    });
    const router = createLlmRouter({ urls: [url] });

    expect(await rejectionOf(router.capabilities("eye"))).toBeInstanceOf(LlmBadResponseError);
    expect(await router.capabilities("eye")).toEqual(["completion", "vision"]);
  });

  it("forgets what it knew when the server refuses an image, so the next call is refused before sending", async () => {
    const fake = await servers.fake({ models });
    const router = createLlmRouter({ urls: [fake.url] });
    expect(await answerOf(router, withImage("llava:7b"))).toBe("a cat");
    // Another model pulled under the same name, one without an image encoder.
    fake.setModel("llava:7b", {});

    expect(await rejectionOf(answerOf(router, withImage("llava:7b")))).toBeInstanceOf(ModelCannotSeeError);
    expect(await rejectionOf(answerOf(router, withImage("llava:7b")))).toBeInstanceOf(ModelCannotSeeError);

    expect(chats(fake)).toBe(2);
    expect(shows(fake)).toBe(2);
  });

  it("through a worker: which model can see is read via its /api/show, and the images arrive intact", async () => {
    const fake = await servers.fake({ models });
    const worker = await servers.worker(fake.url, { WORKER_TOKEN: "images-test-token-0123456789" });
    const router = createLlmRouter({ urls: [worker.url], token: "images-test-token-0123456789" });

    expect(await router.capabilities("llava:7b")).toEqual(["completion", "vision"]);
    expect(await answerOf(router, withImage("llava:7b", [png, png]))).toBe("a cat");
    expect(await rejectionOf(answerOf(router, withImage("llama3.2:3b")))).toBeInstanceOf(ModelCannotSeeError);

    expect(fake.requests.filter((r) => r.path === "/api/chat").map(imagesOf)).toEqual([[png, png]]);
  });

  it("a caller that gives up while the capabilities are asked is let go at once", async () => {
    const url = await servers.raw((request, response) => {
      if (request.url === "/api/tags") return response.end(JSON.stringify({ models: [{ name: "eye:latest" }] }));
      // /api/show never answers (the client's own 10 s bound ends it after the test).
    });
    const router = createLlmRouter({ urls: [url] });
    const caller = new AbortController();
    const call = answerOf(router, withImage("eye"), caller.signal);
    const reason = new Error("the user cancelled");
    setTimeout(() => caller.abort(reason), 50);
    expect(await rejectionOf(call)).toBe(reason);
  });
});
