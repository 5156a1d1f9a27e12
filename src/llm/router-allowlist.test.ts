// A model a worker holds but may not serve (outside its WORKER_MODELS): the router says so,
// with the worker's list of allowed models, rather than advising a pull that changes nothing.
import { describe, expect, it } from "vitest";
import { LlmRefusedError, ModelMissingError } from "./errors.js";
import { createLlmRouter } from "./router.js";
import { answerOf, chatRequest, rejectionOf, useServers } from "./test-helpers.js";

const servers = useServers();
const TOKEN = "a-worker-token-long-enough-0123456789";

describe("a model outside a worker's allowlist", () => {
  it("fails with the worker's refusal naming the allowed models, and no chat is sent", async () => {
    const fake = await servers.fake({ models: { "llama3.2:3b": {}, "qwen2.5:7b": {} } });
    const worker = await servers.worker(fake.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ["llama3.2:3b"] });
    const router = createLlmRouter({ urls: [worker.url], token: TOKEN });

    const error = await rejectionOf(answerOf(router, chatRequest("qwen2.5:7b")));

    expect(error).toBeInstanceOf(LlmRefusedError);
    expect(error).toMatchObject({ status: 403, url: worker.url });
    expect((error as Error).message).toContain('model "qwen2.5:7b" is not allowed on this worker; allowed models: llama3.2:3b (WORKER_MODELS)');
    expect(fake.requests.some((request) => request.path === "/api/chat")).toBe(false);
    await expect(router.preload("qwen2.5:7b", 2048, "5m")).rejects.toBeInstanceOf(LlmRefusedError);
  });

  it("names the refusal when one worker lacks the model and another refuses it", async () => {
    const plain = await servers.fake({ models: { other: {} } });
    const fake = await servers.fake({ models: { "llama3.2:3b": {}, "qwen2.5:7b": {} } });
    const worker = await servers.worker(fake.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ["llama3.2:3b"] });
    const router = createLlmRouter({ urls: [plain.url, worker.url], token: TOKEN });

    await expect(answerOf(router, chatRequest("qwen2.5:7b"))).rejects.toMatchObject({ status: 403, url: worker.url });
  });

  it("still advises a pull where no worker has the model at all", async () => {
    const fake = await servers.fake({ models: { "llama3.2:3b": {} } });
    const worker = await servers.worker(fake.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ["llama3.2:3b", "mistral:7b"] });
    const router = createLlmRouter({ urls: [worker.url], token: TOKEN });

    const error = await rejectionOf(answerOf(router, chatRequest("mistral:7b")));

    expect(error).toBeInstanceOf(ModelMissingError);
    expect((error as Error).message).toContain("ollama pull mistral:7b");
  });
});
