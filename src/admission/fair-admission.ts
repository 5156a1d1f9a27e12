import Bottleneck from "bottleneck";
import { createAdmissionLedger, type LedgerEntry } from "./admission-ledger.js";
import { createHourlyQuota } from "./hourly-quota.js";

// Who may start a council, and in what order. The GPU box runs a handful of councils at once,
// so the rest wait; waiting is fair between users: each user's councils go through a limiter
// of their own that lets one at a time into the global queue, so the global queue serves users
// in turn and one user with ten questions cannot starve another with one. A refusal says why
// and when trying again makes sense, so the adapter can tell the user.

export interface FairAdmissionOptions {
  /** Councils running at once, all users together. */
  maxInFlight: number;
  /**
   * Councils waiting, all users together; beyond it, refused with reason "full". Free slots
   * count against it: refused once running + waiting reach maxInFlight + maxWaiting.
   */
  maxWaiting: number;
  /** One user's councils waiting behind the one that runs; beyond it, refused with "user-queue". */
  userWaiting: number;
  /** One user's councils accepted in any rolling hour (queued or started); 0 turns it off; beyond it, "user-rate". */
  userPerHour: number;
  now?: () => number;
}

export type AdmissionRefusalReason = "user-queue" | "user-rate" | "full" | "closed";

export interface AdmissionRefusal {
  admitted: false;
  reason: AdmissionRefusalReason;
  /** When trying again makes sense. */
  retryAfterMs: number;
}

export interface Ticket {
  admitted: true;
  /** Councils that will start before this one; 0 when it is next or already running. */
  ahead(): number;
  /** Called with the new count each time it changes while the ticket waits; returns an unsubscribe. */
  onAhead(listener: (ahead: number) => void): () => void;
  /** Resolves when the ticket holds a slot. Rejects with AdmissionClosedError if the admission is closed, or the ticket left, before that. */
  started: Promise<void>;
  /** Frees the slot, or leaves the queue if still waiting; idempotent; must be called however the council ends. */
  leave(): void;
}

export class AdmissionClosedError extends Error {
  override readonly name = "AdmissionClosedError";
  readonly kind = "admission-closed";
}

export interface FairAdmission {
  enter(userKey: string): Ticket | AdmissionRefusal;
  inFlight(): number;
  waiting(): number;
  /**
   * Refuses new entries (reason "closed") and rejects every waiting ticket's `started`; running
   * tickets keep their slots until they leave. Idempotent. Does not wait for the running
   * tickets: a shutdown waits for those councils itself, with a grace period of its own.
   */
  close(): Promise<void>;
}

/** What a council is taken to hold its slot for until one has finished. */
export const FIRST_HOLD_ESTIMATE_MS = 60_000;
export const CLOSED_RETRY_AFTER_MS = 60_000;
// Recent councils weigh most: a new preset or a loaded worker changes how long councils take.
const HOLD_SMOOTHING = 0.2;
// The Group deletes a limiter in which no job has started for `timeout`; a user's limiter
// starts nothing while that user's council waits in the global queue and then runs, so the
// timeout must outlast both. Limiters of users with no councils left are deleted here as they
// go, so a long timeout costs no memory. (Half of it is a setInterval delay, so it must stay
// under 2^31 ms.)
const USER_LIMITER_TIMEOUT_MS = 7 * 24 * 3_600_000;

export function createFairAdmission(options: FairAdmissionOptions): FairAdmission {
  const { maxInFlight, maxWaiting, userWaiting, userPerHour } = options;
  requireInteger("maxInFlight", maxInFlight, 1);
  requireInteger("maxWaiting", maxWaiting, 1);
  requireInteger("userWaiting", userWaiting, 0);
  requireInteger("userPerHour", userPerHour, 0);
  const now = options.now ?? (() => performance.now());
  const ledger = createAdmissionLedger();
  const quota = createHourlyQuota(userPerHour);
  const global = new Bottleneck({ maxConcurrent: maxInFlight });
  const users = new Bottleneck.Group({ maxConcurrent: 1, timeout: USER_LIMITER_TIMEOUT_MS });
  /** How each live ticket is made to leave, so close() can turn the waiting ones away. */
  const live = new Map<LedgerEntry, (why: "left" | "closed") => void>();
  let averageHoldMs: number | undefined;
  let closing: Promise<void> | undefined;

  function holdEstimate(): number {
    return averageHoldMs ?? FIRST_HOLD_ESTIMATE_MS;
  }

  function recordHold(ms: number): void {
    averageHoldMs = averageHoldMs === undefined ? ms : averageHoldMs + (ms - averageHoldMs) * HOLD_SMOOTHING;
  }

  function refuse(reason: AdmissionRefusalReason, retryAfterMs: number): AdmissionRefusal {
    return { admitted: false, reason, retryAfterMs: Math.ceil(retryAfterMs) };
  }

  function admit(userKey: string): Ticket {
    const entry = ledger.add(userKey);
    let startedAt = 0;
    let markStarted!: () => void;
    let refuseStart!: (error: AdmissionClosedError) => void;
    const started = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      refuseStart = reject;
    });
    // A caller that gives up on a waiting ticket may never look at `started` again; its
    // rejection must not then count as unhandled.
    started.catch(() => {});
    let release!: () => void;
    // Holds the ticket's job in its user's limiter and, once started, its global slot.
    const ended = new Promise<void>((resolve) => (release = resolve));

    // Bottleneck cannot take a job back out of its queue, so the job of a ticket that left
    // stays there and, when its turn comes, returns at once without starting anything.
    function enterGlobalQueue(): Promise<void> {
      if (entry.state === "gone") return Promise.resolve();
      ledger.queue(entry);
      global.schedule(start).catch(ignoreDropped);
      return ended;
    }

    function start(): Promise<void> {
      if (entry.state === "gone") return Promise.resolve();
      startedAt = now();
      ledger.start(entry);
      markStarted();
      return ended;
    }

    function end(why: "left" | "closed"): void {
      if (entry.state === "gone") return;
      if (entry.state === "running") recordHold(now() - startedAt);
      else refuseStart(new AdmissionClosedError(why === "closed" ? "admission is closed; the service is shutting down" : "the ticket left before its council started"));
      live.delete(entry);
      if (ledger.remove(entry)) void users.deleteKey(userKey);
      release();
    }

    const ticket: Ticket = {
      admitted: true,
      ahead: () => entry.ahead,
      onAhead: (listener) => ledger.onAhead(entry, listener),
      started,
      leave: () => end("left"),
    };
    live.set(entry, end);
    users.key(userKey).schedule(enterGlobalQueue).catch(ignoreDropped);
    return ticket;
  }

  return {
    enter(userKey) {
      if (closing) return refuse("closed", CLOSED_RETRY_AFTER_MS);
      const at = now();
      // The user's own limits first: waiting them out does not depend on anyone else, and the
      // rolling hour first of those, since its time is exact.
      const rateRetry = quota.retryAfter(userKey, at);
      if (rateRetry !== undefined) return refuse("user-rate", rateRetry);
      if (ledger.userCount(userKey) > userWaiting) return refuse("user-queue", holdEstimate());
      // Counted against free slots too, so a burst that arrives before bottleneck has started
      // the first councils is not refused, nor told to wait for slots nobody holds.
      const waitingForSlot = ledger.running() + ledger.waiting() - maxInFlight;
      if (waitingForSlot >= maxWaiting) return refuse("full", holdEstimate() * Math.ceil((waitingForSlot + 1) / maxInFlight));
      quota.record(userKey, at);
      return admit(userKey);
    },
    inFlight: () => ledger.running(),
    waiting: () => ledger.waiting(),
    close() {
      if (!closing) {
        closing = Promise.resolve();
        for (const [entry, end] of live) if (entry.state !== "running") end("closed");
        // Drops the jobs of the tickets just turned away. Not awaited: bottleneck's stop()
        // settles only when the running jobs are done, that is when every running ticket has left.
        for (const limiter of [global, ...users.limiters().map((pair) => pair.limiter)]) void limiter.stop({ dropWaitingJobs: true });
      }
      return closing;
    },
  };
}

// Bottleneck drops jobs only when close() stops it, and close() has already settled their tickets.
function ignoreDropped(error: unknown): void {
  if (!(error instanceof Bottleneck.BottleneckError)) throw error;
}

function requireInteger(name: string, value: number, least: number): void {
  if (!Number.isInteger(value) || value < least) throw new RangeError(`${name} must be an integer ≥ ${least}, got ${value}`);
}
