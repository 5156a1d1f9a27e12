import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOllama, type FakeOllama } from "../test-support/fake-ollama/index.js";
import { startWorker } from "../test-support/start-worker.js";

let ollama: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: { "llama3.2:3b": {} } });
  worker = await startWorker(ollama.url);
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${worker.url}${path}`, { method: "POST", body, headers });
  return { status: response.status, body: (await response.json()) as { error: string } };
}

describe("bad input gets 400 naming the field, and never reaches Ollama", () => {
  it.each([
    ["/api/chat", "{not json", "the request body is not valid JSON"],
    ["/api/chat", "", "the request body must be a JSON object"],
    ["/api/chat", "[1,2]", "the request body must be a JSON object"],
    ["/api/chat", JSON.stringify({ messages: [] }), 'field "model" is required'],
    ["/api/chat", JSON.stringify({ model: 42 }), 'field "model" must be a string'],
    ["/api/chat", JSON.stringify({ model: "llama3.2:3b", messages: "hi" }), 'field "messages" must be an array of messages'],
    ["/api/chat", JSON.stringify({ model: "llama3.2:3b", messages: [{ role: "user", content: 7 }] }), 'field "messages[0].content" must be a string'],
    ["/api/chat", JSON.stringify({ model: "llama3.2:3b", stream: "yes" }), 'field "stream" must be true or false'],
    ["/api/chat", JSON.stringify({ model: "llama3.2:3b", options: [] }), 'field "options" must be an object of Ollama options'],
    ["/api/chat", JSON.stringify({ model: "llama3.2:3b", format: 12 }), 'field "format" must be "json" or a JSON Schema object'],
    ["/api/generate", JSON.stringify({ model: "llama3.2:3b", prompt: ["a"] }), 'field "prompt" must be a string'],
    ["/api/show", JSON.stringify({}), 'field "model" is required'],
  ])("POST %s %s", async (path, body, message) => {
    const before = ollama.requests.length;
    const answer = await post(path, body, { "content-type": "application/json" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toContain(message);
    expect(ollama.requests.length).toBe(before);
  });

  it("reads JSON whatever the Content-Type, like Ollama (curl -d sends a form type)", async () => {
    const answer = await post("/api/generate", JSON.stringify({ model: "llama3.2:3b", prompt: "hi", stream: false }), {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(answer.status).toBe(200);
  });

  it("refuses the model-management endpoints it does not expose", async () => {
    for (const path of ["/api/pull", "/api/delete", "/api/create", "/api/copy", "/api/push"]) {
      const answer = await post(path, JSON.stringify({ model: "llama3.2:3b" }));
      expect(answer.status, path).toBe(404);
      expect(answer.body.error).toContain("ollama CLI");
    }
    expect(ollama.requests.some((request) => request.path.match(/pull|delete|create|copy|push/))).toBe(false);
  });
});
