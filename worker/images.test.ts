// Bodies with images: large enough for three files of the bot's default size, every image
// checked to be base64 and their number bounded, the allowlist as ever, and a clear 413 past
// WORKER_MAX_BODY_BYTES.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imagesOf, startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";
import { MAX_IMAGES_PER_REQUEST } from "./request-bodies.js";

const TOKEN = "images-test-token-0123456789";
const png = randomBytes(64).toString("base64");

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: { "llava:7b": { vision: true, answer: "a cat" }, "llama3.2:3b": {}, "hidden:1b": { vision: true } } });
  worker = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ["llava:7b", "llama3.2:3b"] });
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

async function post(path: string, body: unknown, url = worker.url) {
  const response = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: string } & Record<string, unknown> };
}

/** Requests that asked Ollama to generate (the worker also reads /api/tags when it starts). */
const generations = () => ollama.requests.filter((r) => r.path === "/api/chat" || r.path === "/api/generate").length;

const imageChat = (images: unknown, model = "llava:7b") => ({
  model,
  stream: false,
  messages: [{ role: "user", content: "What is in this picture?", images }],
});

describe("images through the worker", () => {
  it("reach Ollama intact, three of the bot's largest files (10 MiB each) under the default limit", async () => {
    const large = [1, 2, 3].map(() => randomBytes(10 * 1024 * 1024).toString("base64"));

    const answer = await post("/api/chat", imageChat(large));

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ message: { content: "a cat" } });
    const received = ollama.requests.at(-1)!;
    expect(received.path).toBe("/api/chat");
    const images = imagesOf(received);
    expect(images.length).toBe(3);
    // Compared whole, without handing vitest 40 MB strings to diff on failure.
    expect(images.every((image, i) => image === large[i])).toBe(true);
  });

  it("go to generate too", async () => {
    const generated = await post("/api/generate", { model: "llava:7b", prompt: "Describe it.", images: [png], stream: false });
    expect(generated).toMatchObject({ status: 200, body: { response: "a cat" } });
    expect(imagesOf(ollama.requests.at(-1)!)).toEqual([png]);
  });

  it("a model that cannot see: Ollama's own answer comes back as it is", async () => {
    const answer = await post("/api/chat", imageChat([png], "llama3.2:3b"));
    expect(answer.status).toBe(500);
    expect(answer.body.error).toContain("missing data required for image input");
  });

  it("the allowlist applies to a body with images as to any other", async () => {
    const before = generations();
    const answer = await post("/api/chat", imageChat([png], "hidden:1b"));
    expect(answer.status).toBe(403);
    expect(answer.body.error).toContain("WORKER_MODELS");
    expect(generations()).toBe(before);
  });
});

describe("bad images get 400 naming the field, and never reach Ollama", () => {
  const tooMany = Array.from({ length: MAX_IMAGES_PER_REQUEST + 1 }, () => png);
  it.each([
    ["a data: URL", imageChat([`data:image/png;base64,${png}`]), 'field "messages[0].images[0]" is not base64'],
    ["base64url", imageChat(["ab-_"]), 'field "messages[0].images[0]" is not base64'],
    ["no padding", imageChat([png, "abc"]), 'field "messages[0].images[1]" is not base64'],
    ["padding inside", imageChat(["ab==abcd"]), 'field "messages[0].images[0]" is not base64'],
    ["a space", imageChat(["ab cd==="]), 'field "messages[0].images[0]" is not base64'],
    ["an empty image", imageChat([""]), 'field "messages[0].images[0]" is empty'],
    ["a number", imageChat([42]), 'field "messages[0].images[0]" must be a base64 string'],
    ["too many in one message", imageChat(tooMany), `field "messages" carries ${MAX_IMAGES_PER_REQUEST + 1} images; the worker takes at most ${MAX_IMAGES_PER_REQUEST}`],
    [
      "too many across messages",
      { model: "llava:7b", messages: [{ role: "user", content: "a", images: tooMany.slice(2) }, { role: "user", content: "b", images: [png, png] }] },
      `field "messages" carries ${MAX_IMAGES_PER_REQUEST + 1} images`,
    ],
  ])("chat: %s", async (_, body, message) => {
    const before = generations();
    const answer = await post("/api/chat", body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
    expect(generations()).toBe(before);
  });

  it.each([
    ["not base64", { model: "llava:7b", prompt: "hi", images: ["%%%%"] }, 'field "images[0]" is not base64'],
    ["too many", { model: "llava:7b", prompt: "hi", images: tooMany }, `field "images" carries ${MAX_IMAGES_PER_REQUEST + 1} images`],
  ])("generate: %s", async (_, body, message) => {
    const answer = await post("/api/generate", body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
  });

  it("takes base64 broken into lines, as Ollama does", async () => {
    const wrapped = randomBytes(300).toString("base64").replace(/.{76}/g, "$&\r\n");
    expect((await post("/api/chat", imageChat([wrapped]))).status).toBe(200);
  });
});

describe("WORKER_MAX_BODY_BYTES", () => {
  it("a body past it gets 413 naming the setting, before Ollama sees anything", async () => {
    const small = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, WORKER_MAX_BODY_BYTES: 1024 * 1024 });
    try {
      const before = generations();
      const image = randomBytes(800 * 1024).toString("base64");
      const answer = await post("/api/chat", imageChat([image]), small.url);
      expect(answer.status).toBe(413);
      expect(answer.body.error).toBe(
        "the request body is larger than the worker's limit of 1048576 bytes (1 MiB); send fewer or smaller images, or a shorter prompt, or raise WORKER_MAX_BODY_BYTES on the worker",
      );
      expect(generations()).toBe(before);
    } finally {
      await small.close();
    }
  });

  it("counts the bytes as they arrive, whatever Content-Length says", async () => {
    const small = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, WORKER_MAX_BODY_BYTES: 1024 * 1024 });
    try {
      // A chunked body: no Content-Length to refuse it by, so only counting can.
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(`{"model":"llava:7b","prompt":"`));
          for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
          controller.enqueue(new TextEncoder().encode(`"}`));
          controller.close();
        },
      });
      const response = await fetch(`${small.url}/api/generate`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
        body: chunks,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toContain("WORKER_MAX_BODY_BYTES");
    } finally {
      await small.close();
    }
  });
});
