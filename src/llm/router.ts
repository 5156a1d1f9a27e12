import type { Logger } from "pino";
import { abortableSleep } from "./abortable-sleep.js";
import { type CallSignal, linkCallSignal } from "./call-signal.js";
import {
  capabilitiesWithoutVision,
  LlmBusyError,
  type LlmError,
  LlmRefusedError,
  LlmUnreachableError,
  ModelCannotSeeError,
  ModelMissingError,
  modelMissingMessage,
  unreachableMessage,
} from "./errors.js";
import { canonicalModelName } from "./model-name.js";
import { createOllamaClient, PRELOAD_TIMEOUT_MS } from "./ollama-client.js";
import { type CallOptions, type ChatPart, type ChatRequest, type LlmClient, VISION } from "./port.js";
import { createRoutedWorker, type RoutedWorker, type WorkerStatus } from "./routed-worker.js";

// Several workers (or plain Ollamas) behind one LlmClient. A call goes to a worker whose tags
// list the model, the one with the fewest calls in flight first. Before the first part of an
// answer, a worker that turns out unreachable or busy is not the caller's problem: the call
// moves to another worker or waits out Retry-After. After it, an error is the caller's.
// A call with images goes only to a model whose capabilities include "vision": most models
// that cannot see would drop the images silently and answer about nothing.

/**
 * How long a model's capabilities are trusted. They change only when another model is pulled
 * under the same name, so a council's every image need not cost an /api/show.
 */
export const CAPABILITIES_TTL_MS = 10 * 60_000;

export type { WorkerStatus } from "./routed-worker.js";

export interface LlmRouterOptions {
  urls: readonly string[];
  token?: string;
  fetch?: typeof globalThis.fetch;
  /** How long a worker marked down is left alone, and how old tags may get before a missing model is looked up again. */
  probeIntervalMs?: number;
  /** Clock for the probe interval and the age of known capabilities (milliseconds). */
  now?: () => number;
  logger?: Logger;
  /** The setting that lists these URLs, named when a model is on none of them. Default: WORKER_URLS. */
  setting?: string;
  /** Every setting that names a URL (on one machine WORKER_URLS and CHAIRMAN_URL may both), named when nothing answers there. Default: `setting`. */
  settingsOf?: (url: string) => string[];
}

export interface LlmRouter extends LlmClient {
  /** Probes every worker now and reports them: for start-up and the health command. */
  probe(): Promise<WorkerStatus[]>;
  /** What the router knows, without asking anyone. */
  status(): WorkerStatus[];
}

/** The worker that took a call, and what the call's first step produced. */
interface Placement<T> {
  worker: RoutedWorker;
  value: T;
}

export function createLlmRouter(options: LlmRouterOptions): LlmRouter {
  const now = options.now ?? (() => performance.now());
  const probeIntervalMs = options.probeIntervalMs ?? 10_000;
  const log = options.logger?.child({ module: "llm-router" });
  const setting = options.setting ?? "WORKER_URLS";
  const settingsOf = options.settingsOf ?? (() => [setting]);
  const workers = options.urls.map((url) =>
    createRoutedWorker(createOllamaClient({ baseUrl: url, token: options.token, fetch: options.fetch, settings: settingsOf(url) }), probeIntervalMs, now),
  );
  // By canonical model name: the answer (or the lookup under way) and when it was asked. A
  // lookup that fails is not kept, nor is an answer a server's refusal of images contradicts.
  const knownCapabilities = new Map<string, { askedAt: number; capabilities: Promise<string[]> }>();

  /** Reachable workers with the model, not counting those that failed this call. */
  async function workersWith(model: string, failed: ReadonlySet<RoutedWorker>): Promise<RoutedWorker[]> {
    const usable = () => workers.filter((worker) => !failed.has(worker));
    await Promise.all(usable().filter((worker) => worker.needsProbe()).map((worker) => probeAndReport(worker)));
    const holding = () => usable().filter((worker) => worker.reachable && worker.has(model));
    if (holding().length > 0) return holding();
    // Someone may have pulled it since the tags were read.
    await Promise.all(usable().filter((worker) => worker.tagsStale()).map((worker) => probeAndReport(worker)));
    return holding();
  }

  async function probeAndReport(worker: RoutedWorker): Promise<void> {
    const before = worker.reachable;
    await worker.probe();
    if (worker.reachable && before === false) log?.info({ url: worker.url }, "worker reachable again");
    if (!worker.reachable && before !== false) log?.warn({ url: worker.url, reason: worker.lastError?.message }, "worker down; skipping it");
  }

  /**
   * Why no worker can take the model. A worker that is down and listed the model (or was never
   * seen up) is the likely reason. Otherwise the model is missing, unless a worker that is up
   * holds it but may not serve it: a worker's tags leave out what its WORKER_MODELS does not
   * allow, and "run ollama pull" would send the user after the wrong fix, so those are asked.
   */
  async function noWorkerFor(model: string, failed: ReadonlySet<RoutedWorker>, signal: AbortSignal): Promise<LlmError> {
    const down = workers.filter((worker) => (failed.has(worker) || worker.reachable !== true) && worker.mayHave(model));
    if (down.length === 0) {
      return (await refusalOf(model, failed, signal)) ?? new ModelMissingError(model, modelMissingMessage(model, workers.map((worker) => worker.url), setting));
    }
    const [only] = down;
    if (down.length === 1 && only?.lastError) return only.lastError;
    const urls = down.map((worker) => worker.url);
    return new LlmUnreachableError(urls.join(", "), undefined, unreachableMessage(urls, undefined, [...new Set(urls.flatMap(settingsOf))]));
  }

  /** The first refusal of the model by a worker that is up, if one refuses it (403 naming WORKER_MODELS). */
  async function refusalOf(model: string, failed: ReadonlySet<RoutedWorker>, signal: AbortSignal): Promise<LlmRefusedError | undefined> {
    const up = workers.filter((worker) => !failed.has(worker) && worker.reachable === true);
    const answers = await Promise.all(up.map((worker) => worker.client.checkModel(model, signal).then(() => undefined, (error: unknown) => error)));
    if (signal.aborted) throw signal.reason;
    return answers.find((answer): answer is LlmRefusedError => answer instanceof LlmRefusedError);
  }

  /**
   * Runs `start` on the least busy worker with the model until one takes the call. The winner's
   * in-flight count stays raised: the caller lowers it when the call is over.
   */
  async function place<T>(model: string, call: CallSignal, start: (worker: RoutedWorker) => Promise<T>): Promise<Placement<T>> {
    const failed = new Set<RoutedWorker>();
    const busy = new Set<RoutedWorker>();
    let lastBusy: LlmBusyError | undefined;
    for (;;) {
      const holding = await workersWith(model, failed);
      if (holding.length === 0) throw await noWorkerFor(model, failed, call.signal);
      // Stable sort: on a tie the worker listed first in the configuration wins.
      const [worker] = holding.filter((candidate) => !busy.has(candidate)).sort((a, b) => a.inFlight - b.inFlight);
      if (!worker) {
        // Every worker with the model answered busy on this call.
        if (lastBusy) await waitOutBusy(lastBusy, call);
        busy.clear();
        continue;
      }
      worker.inFlight += 1;
      try {
        return { worker, value: await start(worker) };
      } catch (error) {
        worker.inFlight -= 1;
        if (call.signal.aborted) throw error;
        if (error instanceof LlmUnreachableError) {
          worker.markDown(error);
          failed.add(worker);
          log?.warn({ url: worker.url, model, reason: error.message }, "worker unreachable; trying another");
        } else if (error instanceof LlmBusyError) {
          busy.add(worker);
          lastBusy = error;
          log?.info({ url: worker.url, model, retryAfterMs: error.retryAfterMs }, "worker busy");
        } else if (error instanceof ModelMissingError) {
          // It listed the model but no longer has it: read its tags again before choosing.
          await worker.probe();
          if (worker.has(model)) throw error;
        } else {
          throw error;
        }
      }
    }
  }

  /** Every worker with the model is busy: wait as long as it asked, unless the call's deadline comes first. */
  async function waitOutBusy(busy: LlmBusyError, call: CallSignal): Promise<void> {
    if (busy.retryAfterMs >= call.remainingMs()) throw busy;
    await abortableSleep(busy.retryAfterMs, call.signal);
  }

  async function* chat(request: ChatRequest, callOptions: CallOptions): AsyncGenerator<ChatPart> {
    const call = linkCallSignal(request.model, callOptions);
    try {
      const withImages = request.messages.some((message) => (message.images?.length ?? 0) > 0);
      if (withImages) await assertCanSee(request.model, call.signal);
      // The first part is awaited inside place(): an error before it can still move the call.
      const { worker, value: answer } = await place(request.model, call, async (candidate) => {
        const parts = candidate.client.chat(request, { signal: call.signal })[Symbol.asyncIterator]();
        return { parts, first: await parts.next() };
      }).catch((error: unknown) => {
        if (withImages && (error instanceof ModelCannotSeeError || error instanceof ModelMissingError)) forgetCapabilities(request.model);
        throw error;
      });
      try {
        let next = answer.first;
        while (!next.done) {
          yield next.value;
          next = await answer.parts.next();
        }
      } finally {
        // Closes the worker's call when the consumer left early; a no-op once it has finished.
        await answer.parts.return?.();
        worker.inFlight -= 1;
      }
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.end();
    }
  }

  async function preload(model: string, numCtx: number, keepAlive: string | number): Promise<void> {
    const call = linkCallSignal(model, { timeoutMs: PRELOAD_TIMEOUT_MS });
    try {
      const { worker } = await place(model, call, (candidate) => candidate.client.preload(model, numCtx, keepAlive, call.signal));
      worker.inFlight -= 1;
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.end();
    }
  }

  function capabilities(model: string): Promise<string[]> {
    const key = canonicalModelName(model);
    const known = knownCapabilities.get(key);
    if (known && now() - known.askedAt < CAPABILITIES_TTL_MS) return known.capabilities;
    const entry = { askedAt: now(), capabilities: askCapabilities(model) };
    knownCapabilities.set(key, entry);
    entry.capabilities.catch(() => {
      if (knownCapabilities.get(key) === entry) knownCapabilities.delete(key);
    });
    return entry.capabilities;
  }

  function forgetCapabilities(model: string): void {
    knownCapabilities.delete(canonicalModelName(model));
  }

  /** /api/show on a worker that has the model; one that is down is skipped like for a chat. */
  async function askCapabilities(model: string): Promise<string[]> {
    // Shared by every caller waiting on it, so no caller's signal may cancel it; /api/show is bounded in time.
    const call = linkCallSignal(model, {});
    try {
      const { worker, value } = await place(model, call, (candidate) => candidate.client.capabilities(model, call.signal));
      worker.inFlight -= 1;
      return value;
    } catch (error) {
      throw call.failure(error);
    } finally {
      call.end();
    }
  }

  /** Refuses images for a model that cannot see, before anything is sent. */
  async function assertCanSee(model: string, signal: AbortSignal): Promise<void> {
    const listed = await orAbort(capabilities(model), signal);
    if (!listed.includes(VISION)) throw new ModelCannotSeeError(model, capabilitiesWithoutVision(listed));
  }

  async function probe(): Promise<WorkerStatus[]> {
    await Promise.all(workers.map((worker) => probeAndReport(worker)));
    return status();
  }

  function status(): WorkerStatus[] {
    return workers.map((worker) => worker.status());
  }

  return { chat, preload, capabilities, probe, status };
}

/** The promise, or the signal's reason as soon as it aborts; the promise runs on for its other waiters. */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
