// Ollama's scheduler in miniature: per model, `parallel` slots served FIFO; a model loads on
// first use, reloads when a request's num_ctx differs from the loaded one (only once the
// running generations have drained, as Ollama must stop a runner to restart it), and unloads
// when keep_alive runs out after its last request. Waiting requests count against maxQueue
// server-wide.
import { now, type Timers } from "./timers.js";

export class QueueFullError extends Error {
  constructor() {
    // Ollama's ErrMaxQueue text, two spaces included.
    super("server busy, please try again.  maximum pending requests exceeded");
    this.name = "QueueFullError";
  }
}

export interface Admission {
  /** This request paid a load or reload. */
  paidLoad: boolean;
  /** When the runner was ready for it: its own load's end, a load it waited for, or arrival. */
  readyAt: number;
  /** Which load of the model serves it: a new runner starts with empty prompt caches. */
  runner: number;
  /** Gives the slot back; keep_alive starts counting when the last slot is free. */
  release(): void;
}

export interface AdmissionRequest {
  model: string;
  numCtx: number;
  /** Milliseconds; negative or Infinity keeps the model loaded forever; 0 unloads after use. */
  keepAliveMs: number;
  receivedAt: number;
  signal: AbortSignal;
}

export interface LoadedModel {
  model: string;
  contextLength: number;
  /** Wall clock, as /api/ps reports it. */
  expiresAt: Date;
}

export interface Scheduler {
  acquire(request: AdmissionRequest): Promise<Admission>;
  /** Unloads now if idle, else as soon as the last running request ends (keep_alive 0). */
  unload(model: string): void;
  loaded(): LoadedModel[];
  loads(model: string): number;
  reloads(model: string): number;
  inFlight(model?: string): number;
  waiting(model?: string): number;
  /** Forgets loaded state and counters; running and queued requests carry on. */
  reset(): void;
}

export interface SchedulerDeps {
  timers: Timers;
  maxQueue: number;
  /** Read at every decision, so setModel() takes effect for the next admission. */
  limits(model: string): { parallel: number; loadMs: number };
}

interface Waiter {
  numCtx: number;
  keepAliveMs: number;
  receivedAt: number;
  /** Set when the client went away while its load was running: the load still finishes. */
  cancelled: boolean;
  admit(paidLoad: boolean, readyAt: number, runner: number): void;
}

interface ModelState {
  active: number;
  queue: Waiter[];
  loadedCtx?: number;
  loadingCtx?: number;
  loadedAt: number;
  loads: number;
  reloads: number;
  keepAliveMs: number;
  /** performance.now() ms; meaningful only while idle. */
  expiresAt: number;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const states = new Map<string, ModelState>();

  function state(model: string): ModelState {
    let s = states.get(model);
    if (!s) {
      s = { active: 0, queue: [], loadedAt: 0, loads: 0, reloads: 0, keepAliveMs: 5 * 60_000, expiresAt: 0 };
      states.set(model, s);
    }
    return s;
  }

  const totalWaiting = () => [...states.values()].reduce((sum, s) => sum + s.queue.length, 0);

  function expireIfIdle(s: ModelState): void {
    if (s.active === 0 && s.loadingCtx === undefined && s.loadedCtx !== undefined && now() >= s.expiresAt) {
      s.loadedCtx = undefined;
    }
  }

  function pump(model: string): void {
    const s = state(model);
    const { parallel, loadMs } = deps.limits(model);
    expireIfIdle(s);
    while (s.queue.length > 0 && s.loadingCtx === undefined && s.active < parallel) {
      const head = s.queue[0] as Waiter;
      if (s.loadedCtx === head.numCtx) {
        s.queue.shift();
        s.active++;
        s.keepAliveMs = head.keepAliveMs;
        head.admit(false, Math.max(head.receivedAt, s.loadedAt), s.loads);
        continue;
      }
      // A different num_ctx needs the runner restarted: wait for the running ones to finish.
      if (s.active > 0) break;
      s.queue.shift();
      s.active++;
      s.keepAliveMs = head.keepAliveMs;
      startLoad(model, s, head, loadMs);
      break;
    }
  }

  function startLoad(model: string, s: ModelState, waiter: Waiter, loadMs: number): void {
    s.loads++;
    if (s.loadedCtx !== undefined) s.reloads++;
    s.loadedCtx = undefined;
    s.loadingCtx = waiter.numCtx;
    // Ollama does not abandon a load when its client leaves, so neither does the fake.
    const finish = () => {
      s.loadingCtx = undefined;
      s.loadedCtx = waiter.numCtx;
      s.loadedAt = now();
      if (waiter.cancelled) release(model, s);
      else waiter.admit(true, s.loadedAt, s.loads);
      pump(model);
    };
    if (loadMs > 0) deps.timers.at(now() + loadMs, finish);
    else finish();
  }

  function release(model: string, s: ModelState): void {
    s.active--;
    if (s.active === 0) {
      const sameContextWaiting = s.queue.some((w) => w.numCtx === s.loadedCtx);
      if (s.keepAliveMs === 0 && !sameContextWaiting) s.loadedCtx = undefined;
      else s.expiresAt = s.keepAliveMs < 0 ? Number.POSITIVE_INFINITY : now() + s.keepAliveMs;
    }
    pump(model);
  }

  return {
    acquire(request) {
      const { model, signal } = request;
      if (signal.aborted) return Promise.reject(signal.reason);
      const s = state(model);
      return new Promise<Admission>((resolve, reject) => {
        let settled = false;
        const onAbort = () => {
          if (settled) return;
          settled = true;
          const at = s.queue.indexOf(waiter);
          if (at >= 0) s.queue.splice(at, 1);
          else waiter.cancelled = true; // admitted to a load that is still running
          reject(signal.reason);
        };
        const waiter: Waiter = {
          numCtx: request.numCtx,
          keepAliveMs: request.keepAliveMs,
          receivedAt: request.receivedAt,
          cancelled: false,
          admit(paidLoad, readyAt, runner) {
            signal.removeEventListener("abort", onAbort);
            if (settled) return;
            settled = true;
            let released = false;
            resolve({
              paidLoad,
              readyAt,
              runner,
              release() {
                if (released) return;
                released = true;
                release(model, s);
              },
            });
          },
        };
        s.queue.push(waiter);
        pump(model);
        if (settled) return;
        if (s.queue.includes(waiter) && totalWaiting() > deps.maxQueue) {
          s.queue.splice(s.queue.indexOf(waiter), 1);
          settled = true;
          reject(new QueueFullError());
          return;
        }
        signal.addEventListener("abort", onAbort, { once: true });
      });
    },
    unload(model) {
      const s = state(model);
      s.keepAliveMs = 0;
      if (s.active === 0 && s.loadingCtx === undefined) s.loadedCtx = undefined;
    },
    loaded() {
      const out: LoadedModel[] = [];
      for (const [model, s] of states) {
        expireIfIdle(s);
        const contextLength = s.loadingCtx ?? s.loadedCtx;
        if (contextLength === undefined) continue;
        const busy = s.active > 0 || s.loadingCtx !== undefined;
        const expiresAtMono = busy ? now() + s.keepAliveMs : s.expiresAt;
        out.push({ model, contextLength, expiresAt: wallClock(s.keepAliveMs < 0 ? Number.POSITIVE_INFINITY : expiresAtMono) });
      }
      // Ollama lists the longest-lived first.
      return out.sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime());
    },
    loads: (model) => states.get(model)?.loads ?? 0,
    reloads: (model) => states.get(model)?.reloads ?? 0,
    inFlight: (model) =>
      model === undefined
        ? [...states.values()].reduce((sum, s) => sum + s.active, 0)
        : (states.get(model)?.active ?? 0),
    waiting: (model) => (model === undefined ? totalWaiting() : (states.get(model)?.queue.length ?? 0)),
    reset() {
      for (const s of states.values()) {
        s.loadedCtx = undefined;
        s.loads = 0;
        s.reloads = 0;
        s.expiresAt = 0;
      }
    },
  };
}

// "Forever" in Ollama is time.Now() plus the largest Go duration, about 292 years.
const FOREVER_MS = 292 * 365.25 * 24 * 3600 * 1000;

function wallClock(monotonicMs: number): Date {
  if (monotonicMs === Number.POSITIVE_INFINITY) return new Date(Date.now() + FOREVER_MS);
  return new Date(Date.now() + (monotonicMs - now()));
}
