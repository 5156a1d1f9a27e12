// Small helpers for the fake's own tests: plain-fetch calls and NDJSON reading, so tests can
// see the wire as well as what the ollama client makes of it.
import { afterEach } from "vitest";
import { startFakeOllama, type FakeOllamaServer } from "./server.js";
import type { FakeOllamaOptions } from "./model-script.js";

export type Chunk = Record<string, unknown> & { done?: boolean; message?: { content: string; thinking?: string } };

/** Starts a fake for the current test and closes it after. */
export function useFake(): (options?: FakeOllamaOptions) => Promise<FakeOllamaServer> {
  const started: FakeOllamaServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (options) => {
    const fake = await startFakeOllama(options);
    started.push(fake);
    return fake;
  };
}

export function post(url: string, path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

export async function readNdjson(response: Response): Promise<Chunk[]> {
  const text = await response.text();
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Chunk);
}

export const chatBody = (model: string, content = "Why is the sky blue?", extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: "user", content }],
  ...extra,
});

export const NS_PER_MS = 1e6;
