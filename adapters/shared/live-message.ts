import { type DeliveryError, type DeliveryErrorKind, toDeliveryError } from "./delivery-error.js";

// One chat message whose content is replaced as the council runs (the card). Platforms cap
// edits (Discord: ~1 edit/s per message is the safe habit, ~5 per 5 s per channel; Slack:
// chat.update is Tier 3, ~50 a minute per workspace), while the council produces events far
// faster. So at most one delivery is in flight, deliveries are at least `minIntervalMs`
// apart, and whatever arrives meanwhile is coalesced: only the newest content is ever sent.
// The final content is the one that must not be lost: it is retried on 429 and 5xx, and the
// caller learns whether it got through.

/** A limiter every delivery goes through, shared by the messages of one workspace or channel. */
/** Runs a delivery within a shared budget; an urgent one (a final state) goes before the others waiting. */
export type Schedule = <T>(task: () => Promise<T>, options?: { urgent?: boolean }) => Promise<T>;

export type LiveOutcome = { delivered: true } | { delivered: false; reason: DeliveryError };

export interface LiveStats {
  /** Calls to `deliver` (each retry counts). */
  attempted: number;
  delivered: number;
  /** Attempts the platform answered with 429. */
  rateLimited: number;
  /** Attempts that repeated content already tried once. */
  retried: number;
  /** Contents replaced by a newer one before they were sent. */
  superseded: number;
}

export interface LiveErrorContext {
  final: boolean;
  /** 1 for the first try of this content. */
  attempt: number;
  willRetry: boolean;
}

export interface LiveMessageOptions<C> {
  /** Make the message show `content` (the first call may post it, later ones edit); throws DeliveryError. */
  deliver: (content: C) => Promise<void>;
  minIntervalMs: number;
  /** Tries for the final content (and for a rate-limited update); default 6. */
  maxAttempts?: number;
  schedule?: Schedule;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Every failed attempt, for the logs; the live message has already decided what to do. */
  onError?: (error: DeliveryError, context: LiveErrorContext) => void;
}

export interface LiveMessage<C> {
  /** Show this soon; never blocks, and is ignored after finish(). */
  update(content: C): void;
  /** Show this for good; resolves once it is delivered or cannot be. Later calls return the first result. */
  finish(content: C): Promise<LiveOutcome>;
  stats(): LiveStats;
}

export const DEFAULT_MAX_ATTEMPTS = 6;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

// These say the message or the route is unusable, not that this content was wrong: every
// later edit would fail the same way (and Discord bans a bot after 10,000 401/403/429 in 10
// minutes), so the message stops, and the caller may switch route (expired) or give up.
// "invalid" is about one content (say, one render over a limit): the next one may be fine.
const ROUTE_FAILURES: ReadonlySet<DeliveryErrorKind> = new Set(["gone", "forbidden", "expired"]);

interface Item<C> {
  content: C;
  final: boolean;
  /** Attempts made so far for this content. */
  attempts: number;
}

type Attempt<C> = { item: Item<C>; error?: DeliveryError };

export function createLiveMessage<C>(options: LiveMessageOptions<C>): LiveMessage<C> {
  const { deliver, minIntervalMs, maxAttempts = DEFAULT_MAX_ATTEMPTS, onError } = options;
  if (!Number.isFinite(minIntervalMs) || minIntervalMs < 0) throw new RangeError(`minIntervalMs must be ≥ 0, got ${minIntervalMs}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  const run: Schedule = options.schedule ?? ((task) => task());
  // Monotonic by default: a wall clock set back would otherwise stall the message.
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const stats: LiveStats = { attempted: 0, delivered: 0, rateLimited: 0, retried: 0, superseded: 0 };
  let pending: Item<C> | undefined;
  let pumping = false;
  let lastStartAt = -Infinity;
  // Pushed forward by a 429's retry-after, or by the backoff before retrying the final content.
  let holdUntil = -Infinity;
  let stoppedBy: DeliveryError | undefined;
  let finished: Promise<LiveOutcome> | undefined;
  let settleFinish: (outcome: LiveOutcome) => void = () => {};

  function enqueue(item: Item<C>): void {
    if (pending) stats.superseded += 1;
    pending = item;
    if (!pumping) {
      pumping = true;
      void pump();
    }
  }

  async function pump(): Promise<void> {
    try {
      // Updates made in the same tick (one engine step emitting several events) become one delivery.
      await Promise.resolve();
      while (pending && !stoppedBy) {
        const wait = Math.max(lastStartAt + minIntervalMs, holdUntil) - now();
        if (wait > 0) await sleep(wait);
        const result = await attempt();
        if (result) settle(result);
      }
    } catch (error) {
      // Only an injected sleep or clock can get here; stop rather than spin, and say why.
      stop(toDeliveryError(error));
    } finally {
      pumping = false;
    }
  }

  async function attempt(): Promise<Attempt<C> | undefined> {
    const taken: { item?: Item<C> } = {};
    try {
      // A final state must not wait behind other cards' intermediate ones for a shared budget.
      return await run(async () => {
        // Taken when the limiter runs the job, not when it was queued: updates made while it
        // waited for the workspace's budget are coalesced too.
        const item = pending;
        pending = undefined;
        if (!item) return undefined;
        taken.item = item;
        item.attempts += 1;
        stats.attempted += 1;
        if (item.attempts > 1) stats.retried += 1;
        lastStartAt = now();
        try {
          await deliver(item.content);
          return { item };
        } catch (error) {
          return { item, error: toDeliveryError(error) };
        }
      }, { urgent: pending?.final === true });
    } catch (error) {
      // The limiter itself refused the job (stopped at shutdown). That counts as an attempt,
      // so a limiter that keeps refusing cannot keep the content retrying.
      const item = taken.item ?? pending;
      if (!item) return undefined;
      if (item === pending) pending = undefined;
      if (!taken.item) item.attempts += 1;
      return { item, error: toDeliveryError(error) };
    }
  }

  function settle({ item, error }: Attempt<C>): void {
    if (!error) {
      stats.delivered += 1;
      if (item.final) settleFinish({ delivered: true });
      return;
    }
    if (error.kind === "rate-limited") {
      stats.rateLimited += 1;
      holdUntil = Math.max(holdUntil, now() + (error.retryAfterMs ?? backoffMs(item.attempts)));
    }
    // An intermediate update that failed transiently is superseded by the next one; one that
    // was rate-limited is only postponed (the platform said "later", not "no"), unless a newer
    // one is already waiting. The final content is retried on both.
    const willRetry =
      error.retryable && item.attempts < maxAttempts && !pending && (item.final || error.kind === "rate-limited");
    if (willRetry && error.kind === "transient") holdUntil = Math.max(holdUntil, now() + backoffMs(item.attempts));
    report(error, { final: item.final, attempt: item.attempts, willRetry });
    if (willRetry) {
      pending = item;
    } else if (ROUTE_FAILURES.has(error.kind)) {
      stop(error);
    } else if (item.final) {
      settleFinish({ delivered: false, reason: error });
    }
  }

  function stop(error: DeliveryError): void {
    stoppedBy = error;
    pending = undefined;
    // The final content, attempted or still waiting, would fail the same way.
    settleFinish({ delivered: false, reason: error });
  }

  function backoffMs(attempts: number): number {
    return Math.min(BACKOFF_MAX_MS, Math.max(minIntervalMs, BACKOFF_BASE_MS) * 2 ** (attempts - 1));
  }

  function report(error: DeliveryError, context: LiveErrorContext): void {
    try {
      onError?.(error, context);
    } catch {
      // A failing logger must not take the card down with it.
    }
  }

  return {
    update(content) {
      if (finished || stoppedBy) return;
      enqueue({ content, final: false, attempts: 0 });
    },
    finish(content) {
      if (finished) return finished;
      finished = new Promise<LiveOutcome>((resolve) => {
        settleFinish = resolve;
      });
      if (stoppedBy) settleFinish({ delivered: false, reason: stoppedBy });
      else enqueue({ content, final: true, attempts: 0 });
      return finished;
    },
    stats: () => ({ ...stats }),
  };
}
