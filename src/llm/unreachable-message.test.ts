import { describe, expect, it } from "vitest";
import { closedPort } from "./test-helpers.js";
import { createLlmRouter } from "./router.js";
import { unreachableMessage } from "./errors.js";

// What a newcomer reads first when no Ollama runs: what should answer at the URL, how to start
// it, and which setting to correct; never "worker" for the chairman's Ollama.

describe("unreachableMessage", () => {
  it("the chairman's URL: no Ollama answers there, start it with ollama serve or install it, CHAIRMAN_URL", () => {
    expect(unreachableMessage(["http://127.0.0.1:11434"], "ECONNREFUSED", ["CHAIRMAN_URL"])).toBe(
      "no Ollama answers at http://127.0.0.1:11434 (ECONNREFUSED): start it with `ollama serve` (to install it: https://ollama.com/download), or correct CHAIRMAN_URL if it runs elsewhere",
    );
  });

  it("one machine, one URL in both settings, on Ollama's port: says Ollama and names both settings", () => {
    expect(unreachableMessage(["http://127.0.0.1:11434"], "ECONNREFUSED", ["WORKER_URLS", "CHAIRMAN_URL"])).toBe(
      "no Ollama answers at http://127.0.0.1:11434 (ECONNREFUSED): start it with `ollama serve` (to install it: https://ollama.com/download), or correct WORKER_URLS and CHAIRMAN_URL if it runs elsewhere",
    );
  });

  it("a worker's URL: the council worker or Ollama may run there", () => {
    expect(unreachableMessage(["http://pc2:8001"], "ENOTFOUND", ["WORKER_URLS"])).toBe(
      "nothing answers at http://pc2:8001 (ENOTFOUND): start the council worker there (`npm run worker`), or Ollama (`ollama serve`; to install it: https://ollama.com/download), or correct WORKER_URLS if it runs elsewhere",
    );
  });
});

describe("a router whose server does not answer", () => {
  it("says so in the probe and in the call's error, with the settings it was given", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const router = createLlmRouter({ urls: [url], setting: "CHAIRMAN_URL" });
    const [status] = await router.probe();
    expect(status?.lastError).toBe(unreachableMessage([url], "ECONNREFUSED", ["CHAIRMAN_URL"]));
    expect(status?.lastError).not.toMatch(/worker|WORKER_URLS/);
  });
});
