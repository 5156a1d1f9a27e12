import { LlmError, LlmUnreachableError } from "./errors.js";
import { canonicalModelName } from "./model-name.js";
import type { OllamaClient } from "./ollama-client.js";

/** One worker as a health command shows it. */
export interface WorkerStatus {
  url: string;
  /** Undefined until the first probe. */
  reachable: boolean | undefined;
  /** As /api/tags listed them at the last successful probe. */
  models: string[];
  /** Calls this router has running there now. */
  inFlight: number;
  /** Why it was last found unusable; cleared once a probe succeeds again. */
  lastError?: string;
}

/**
 * What the router knows about one worker: whether it answers, which models it has, and how
 * many calls it has running. Tags are looked up on first use and again on demand; a worker
 * marked down is only probed again once `probeIntervalMs` has passed, so a dead worker costs
 * one failed connection per interval rather than one per call.
 */
export function createRoutedWorker(client: OllamaClient, probeIntervalMs: number, now: () => number) {
  let reachable: boolean | undefined;
  let models: string[] = [];
  let canonical = new Set<string>();
  let tagsRead = false;
  let checkedAt = -Infinity;
  let lastError: LlmError | undefined;
  let probing: Promise<void> | undefined;

  const intervalPassed = () => now() - checkedAt >= probeIntervalMs;

  async function listTags(): Promise<void> {
    try {
      models = await client.listModels();
      canonical = new Set(models.map(canonicalModelName));
      tagsRead = true;
      reachable = true;
      lastError = undefined;
    } catch (error) {
      markDown(error);
    } finally {
      checkedAt = now();
    }
  }

  function markDown(error: unknown): void {
    reachable = false;
    checkedAt = now();
    lastError = error instanceof LlmError ? error : new LlmUnreachableError(client.baseUrl, String(error));
  }

  const worker = {
    url: client.baseUrl,
    client,
    inFlight: 0,
    get reachable() {
      return reachable;
    },
    /** Why it is down: what a call there would fail with. */
    get lastError() {
      return lastError;
    },
    /** Its tags list the model, under any spelling of the name. */
    has: (model: string) => canonical.has(canonicalModelName(model)),
    /** Its tags were never read, or listed the model: if it is down, it may be why the model is nowhere. */
    mayHave: (model: string) => !tagsRead || canonical.has(canonicalModelName(model)),
    /** Never probed, or down and due for another look. */
    needsProbe: () => reachable === undefined || (reachable === false && intervalPassed()),
    /** Up, but its tags are older than the interval (a model may have been pulled since). */
    tagsStale: () => reachable === true && intervalPassed(),
    /** Fetches the tags now; concurrent callers share one request. Never throws: a failure marks it down. */
    probe(): Promise<void> {
      probing ??= listTags().finally(() => (probing = undefined));
      return probing;
    },
    markDown,
    status(): WorkerStatus {
      return {
        url: client.baseUrl,
        reachable,
        models: [...models],
        inFlight: worker.inFlight,
        ...(lastError && { lastError: lastError.message }),
      };
    },
  };
  return worker;
}

export type RoutedWorker = ReturnType<typeof createRoutedWorker>;
