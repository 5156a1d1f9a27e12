// Images: which models can see (show's capabilities), images accepted only by them, Ollama's
// errors for the rest and for what is not base64, and the record of who got which image.
import { Ollama } from "ollama";
import { describe, expect, it } from "vitest";
import { post, useFake } from "./test-helpers.js";
import { base64ErrorOffset, imagesOf, NO_VISION_ERROR } from "./vision.js";

const start = useFake();
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const png = PNG.toString("base64");
const seeing = { "llava:7b": { vision: true, answer: "a cat" }, "llama3.2:3b": {}, "gemma3:4b": { vision: true, thinking: "Looking." } };

const imageChat = (model: string, images: unknown, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: "user", content: "What is in this picture?", images }],
  stream: false,
  ...extra,
});

describe("capabilities in /api/show", () => {
  it('lists "vision" for models that can see, in Ollama\'s order', async () => {
    const fake = await start({ models: seeing });
    const show = async (model: string) => ((await (await post(fake.url, "/api/show", { model })).json()) as { capabilities: string[] }).capabilities;
    expect(await show("llava:7b")).toEqual(["completion", "vision"]);
    expect(await show("gemma3:4b")).toEqual(["completion", "vision", "thinking"]);
    expect(await show("llama3.2:3b")).toEqual(["completion"]);
  });
});

describe("images on /api/chat and /api/generate", () => {
  it("a model that can see takes them, from the ollama client too; the record keeps which model got which", async () => {
    const fake = await start({ models: seeing });
    const ollama = new Ollama({ host: fake.url });

    const chat = await ollama.chat({ model: "llava:7b", messages: [{ role: "user", content: "What is it?", images: [PNG] }] });
    const generated = await ollama.generate({ model: "llava:7b", prompt: "Describe it.", images: [png, png] });

    expect(chat.message.content).toBe("a cat");
    expect(generated.response).toBe("a cat");
    const [first, second] = fake.requests.filter((r) => r.status === 200);
    expect(first && imagesOf(first)).toEqual([png]);
    expect(second && imagesOf(second)).toEqual([png, png]);
  });

  it("hands the answer function the messages with their images", async () => {
    const fake = await start({ models: { eye: { vision: true, answer: (r) => `I see ${r.messages.flatMap((m) => m.images ?? []).length}` } } });
    const response = await post(fake.url, "/api/chat", imageChat("eye", [png, png]));
    expect(await response.json()).toMatchObject({ message: { content: "I see 2" } });
  });

  it("a model that cannot see: the 500 of Ollama's runner, on chat and generate, and nothing generated", async () => {
    const fake = await start({ models: seeing });

    const chat = await post(fake.url, "/api/chat", imageChat("llama3.2:3b", [png]));
    const generate = await post(fake.url, "/api/generate", { model: "llama3.2:3b", prompt: "Describe it.", images: [png] });
    const streamed = await post(fake.url, "/api/chat", imageChat("llama3.2:3b", [png], { stream: true }));

    for (const response of [chat, generate, streamed]) {
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: NO_VISION_ERROR });
    }
    expect(fake.requests.every((r) => r.completionTokens === undefined)).toBe(true);
    // The record still says what was sent, so a test can catch an image sent to the wrong member.
    expect(imagesOf(fake.requests[0]!)).toEqual([png]);
  });

  it("without images a model that cannot see answers as ever; an empty or null list is no image", async () => {
    const fake = await start({ models: seeing });
    for (const images of [undefined, null, []]) {
      expect((await post(fake.url, "/api/chat", imageChat("llama3.2:3b", images))).status, JSON.stringify(images)).toBe(200);
    }
  });
});

describe("what is not an array of base64 strings: Go's decoding error, 400, before the model is looked up", () => {
  it.each([
    ["a data: URL", ["data:image/png;base64,iVBO"], "illegal base64 data at input byte 4"],
    ["missing padding", ["abc"], "illegal base64 data at input byte 0"],
    ["a lone character after a quantum", ["AAAAA"], "illegal base64 data at input byte 4"],
    ["one padding character too few", ["AA="], "illegal base64 data at input byte 3"],
    ["a character after the padding", ["AAA=AAAA"], "illegal base64 data at input byte 4"],
    ["a string instead of a list", png, "json: cannot unmarshal string into Go struct field Message.messages.images of type []api.ImageData"],
    ["a number in the list", [42], "json: cannot unmarshal number into Go struct field Message.messages.images of type api.ImageData"],
  ])("%s", async (_, images, error) => {
    const fake = await start({ models: seeing });
    // A model that is not pulled: the body is decoded before the name is looked up.
    const response = await post(fake.url, "/api/chat", imageChat("not-pulled", images));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it("on generate, the field is GenerateRequest.images", async () => {
    const fake = await start({ models: seeing });
    const response = await post(fake.url, "/api/generate", { model: "llava:7b", prompt: "hi", images: "x" });
    expect(await response.json()).toEqual({ error: "json: cannot unmarshal string into Go struct field GenerateRequest.images of type []api.ImageData" });
  });
});

describe("base64ErrorOffset, as Go's base64.StdEncoding.Decode", () => {
  it.each([
    ["", undefined],
    ["QUJD", undefined],
    ["QUI=", undefined],
    ["QQ==", undefined],
    ["QU\nJD\r\nREVG", undefined],
    ["QQ=\n=\n", undefined],
    ["Q", 0],
    ["QUJDR", 4],
    ["QUJD R", 4],
    ["Q===", 1],
    ["=QUJ", 0],
    ["QQ=A", 2],
    ["QQ=", 3],
    ["QQ==QQ==", 4],
    ["QUJD-_", 4],
  ])("%j: %s", (text, offset) => {
    expect(base64ErrorOffset(text)).toBe(offset);
  });
});
