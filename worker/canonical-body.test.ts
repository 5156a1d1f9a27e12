import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

// The fake reads bodies as Ollama's Go handlers do (keys matched without regard to case, the
// last one winning), so a body that says one model to the worker and another to Ollama would
// run the other here too.

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: { "small:1b": { answer: "Small answers." }, "big:70b": {} } });
  worker = await startWorker(ollama.url, { WORKER_MODELS: ["small:1b"] });
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

async function post(path: string, text: string) {
  const response = await fetch(`${worker.url}${path}`, { method: "POST", body: text });
  return { status: response.status, text: await response.text() };
}

const chatsSeen = () => ollama.requests.filter((request) => request.path === "/api/chat").length;

describe("what reaches Ollama is what the worker checked", () => {
  it.each([
    ["a model outside WORKER_MODELS under another case", '{"model":"small:1b","Model":"big:70b","stream":false}', '"model" and "Model" at its top level'],
    ["the Kelvin sign, which Go folds to k", '{"model":"small:1b","keep_alive":"5m","\\u212Aeep_alive":0}', '"keep_alive" and "\u212Aeep_alive" at its top level'],
    ["twin keys deeper down", '{"model":"small:1b","messages":[{"role":"user","content":"hi","CONTENT":"other"}]}', '"content" and "CONTENT" in messages[0]'],
    ["twin keys in options", '{"model":"small:1b","options":{"num_ctx":2048,"Num_Ctx":131072}}', '"num_ctx" and "Num_Ctx" in options'],
  ])("refuses %s with 400 naming both keys, and Ollama sees nothing", async (_what, body, named) => {
    const before = chatsSeen();
    const answer = await post("/api/chat", body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toBe(`the request body has both ${named}; Ollama reads keys without regard to case, so send each key once`);
    expect(chatsSeen()).toBe(before);
  });

  it("refuses a body nested 400,000 levels deep with 400, not 500", async () => {
    const deep = `{"model":"small:1b","format":${"[".repeat(400_000)}${"]".repeat(400_000)}}`;
    const answer = await post("/api/chat", deep);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toMatch(/^the request body nests deeper than 64 levels \(at format(\[0\])+\); Ollama's requests need far fewer$/);
  });

  it("sends the validated body serialised again, with every field kept as the caller spelled it", async () => {
    const answer = await post(
      "/api/chat",
      '{ "model" : "SMALL:1B", "messages": [{"role":"user","content":"\\u0048i"}], "stream": false, "think": false, "tools": [], "options": {"num_ctx": 2048} }',
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).message.content).toBe("Small answers.");
    const seen = ollama.requests.at(-1);
    expect(seen?.body).toEqual({ model: "SMALL:1B", messages: [{ role: "user", content: "Hi" }], stream: false, think: false, tools: [], options: { num_ctx: 2048 } });
    expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength(JSON.stringify(seen?.body))));
  });
});
