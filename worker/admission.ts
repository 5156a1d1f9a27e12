import { QueueFullError } from "./errors.js";

// Ollama queues extra requests without bound and serves OLLAMA_NUM_PARALLEL at once per model.
// The worker holds the queue itself, so it can bound it, report it, answer 503 with a useful
// Retry-After, and drop a waiter whose caller went away before it ever reached Ollama.

export interface AdmissionOptions {
  parallel: number;
  queue: number;
  now?: () => number;
}

export interface LaneStats {
  model: string;
  busy: number;
  queued: number;
  parallel: number;
}

export type Release = () => void;

type Grant = (release: Release) => void;

interface Lane {
  busy: number;
  waiting: Grant[];
  /** Moving average of how long a slot is held, for Retry-After. */
  holdMs: number;
}

const INITIAL_HOLD_MS = 5_000;
const HOLD_SMOOTHING = 0.2;

export function createAdmission(options: AdmissionOptions) {
  const now = options.now ?? performance.now.bind(performance);
  const lanes = new Map<string, Lane>();

  function lane(model: string): Lane {
    let found = lanes.get(model);
    if (!found) {
      found = { busy: 0, waiting: [], holdMs: INITIAL_HOLD_MS };
      lanes.set(model, found);
    }
    return found;
  }

  function releaseFor(model: string, current: Lane): Release {
    const heldSince = now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      current.holdMs += HOLD_SMOOTHING * (now() - heldSince - current.holdMs);
      const next = current.waiting.shift();
      if (next) {
        next(releaseFor(model, current));
      } else {
        current.busy -= 1;
      }
    };
  }

  function retryAfterSeconds(current: Lane): number {
    const turns = Math.ceil((current.waiting.length + 1) / options.parallel);
    return Math.min(60, Math.max(1, Math.ceil((turns * current.holdMs) / 1000)));
  }

  /** Resolves with a release function once a slot is free; rejects when the queue is full or the signal aborts. */
  function acquire(model: string, signal: AbortSignal): Promise<Release> {
    const current = lane(model);
    if (signal.aborted) return Promise.reject(signal.reason);
    if (current.busy < options.parallel) {
      current.busy += 1;
      return Promise.resolve(releaseFor(model, current));
    }
    if (current.waiting.length >= options.queue) {
      return Promise.reject(new QueueFullError(model, current.waiting.length, retryAfterSeconds(current)));
    }
    return new Promise<Release>((resolve, reject) => {
      const grant: Grant = (release) => {
        signal.removeEventListener("abort", onAbort);
        resolve(release);
      };
      const onAbort = () => {
        const index = current.waiting.indexOf(grant);
        if (index >= 0) current.waiting.splice(index, 1);
        reject(signal.reason);
      };
      current.waiting.push(grant);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  function stats(): LaneStats[] {
    return [...lanes.entries()].map(([model, current]) => ({
      model,
      busy: current.busy,
      queued: current.waiting.length,
      parallel: options.parallel,
    }));
  }

  return { acquire, stats, parallel: options.parallel };
}

export type Admission = ReturnType<typeof createAdmission>;
