import { setTimeout as sleep } from "node:timers/promises";
import { modelKey } from "./allowlist.js";
import { ModelNotFoundError, OllamaBadResponseError } from "./errors.js";
import type { OllamaUpstream } from "./ollama-upstream.js";

// The models Ollama has, from a cached /api/tags. Everything the worker keeps per model (an
// admission lane, metric series) is made only for a name found here, so a caller inventing
// names creates nothing. A name not in the cache waits for the next look at Ollama's list,
// which is taken at most once a second however many unknown names arrive: a model pulled a
// moment ago is found, and a flood of made-up names costs Ollama one request a second.

const MIN_REFRESH_MS = 1_000;

interface TagList {
  models?: Array<{ name?: unknown; model?: unknown }>;
}

export function createModelCatalog(ollama: OllamaUpstream, now: () => number = () => performance.now()) {
  let names = new Map<string, string>();
  let askedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;

  async function fetchTags(): Promise<void> {
    askedAt = now();
    const answer = await ollama.json<TagList>("GET", "/api/tags");
    if (answer.status !== 200) throw new OllamaBadResponseError(ollama.url, "GET /api/tags", `HTTP ${answer.status}`);
    const listed = (answer.body.models ?? []).map((entry) => entry.name ?? entry.model).filter((name): name is string => typeof name === "string");
    names = new Map(listed.map((name) => [modelKey(name), name]));
  }

  /** Reads Ollama's list again, as soon as a second has passed since the last time; callers meanwhile share it. */
  function refresh(): Promise<void> {
    pending ??= (async () => {
      const wait = askedAt + MIN_REFRESH_MS - now();
      if (wait > 0) await sleep(wait);
      await fetchTags();
    })().finally(() => (pending = undefined));
    return pending;
  }

  /** The model's name as Ollama lists it; a 404 like Ollama's own when it has no such model. */
  async function resolve(model: string): Promise<string> {
    const key = modelKey(model);
    if (!names.has(key)) await refresh();
    const name = names.get(key);
    if (name === undefined) throw new ModelNotFoundError(model);
    return name;
  }

  /** Whether Ollama's list, as last read, has the model (under any spelling of its name). */
  function has(model: string): boolean {
    return names.has(modelKey(model));
  }

  return { resolve, refresh, has };
}

export type ModelCatalog = ReturnType<typeof createModelCatalog>;
