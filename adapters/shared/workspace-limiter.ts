import Bottleneck from "bottleneck";
import type { Schedule } from "./live-message.js";

// A request budget shared by every live message that spends from the same platform bucket.
// Slack rate-limits chat.update per method and per workspace (Tier 3, about 50 a minute), not
// per message, so two councils in one workspace must share one budget or together they earn
// 429s that each alone would not. One limiter per Slack workspace; the Discord adapter may
// keep one per channel (edits there are observed to be capped per channel, ~5 per 5 s).

export interface RateLimiterOptions {
  /** Requests allowed per minute; the budget is refilled in full every 60 s. */
  perMinute: number;
  /** Spacing between two requests, so a full budget is not spent in one burst; default 0. */
  minTimeMs?: number;
}

export interface RateLimiter {
  /** Runs `task` when the budget allows; pass it as a live message's `schedule`. */
  schedule: Schedule;
  /** Rejects the jobs still waiting (a shutdown must not wait up to a minute for a refill) and stops the refill timer. */
  stop(): Promise<void>;
}

const MINUTE_MS = 60_000;

export function createRateLimiter({ perMinute, minTimeMs = 0 }: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`perMinute must be an integer ≥ 1, got ${perMinute}`);
  if (!Number.isFinite(minTimeMs) || minTimeMs < 0) throw new RangeError(`minTimeMs must be ≥ 0, got ${minTimeMs}`);
  const limiter = new Bottleneck({
    reservoir: perMinute,
    reservoirRefreshAmount: perMinute,
    reservoirRefreshInterval: MINUTE_MS,
    minTime: minTimeMs,
  });
  // Bottleneck rejects a second stop(); shutdown paths may well call it twice.
  let stopped: Promise<void> | undefined;
  return {
    // Bottleneck runs lower priorities first; 5 is its default.
    schedule: (task, options) => limiter.schedule({ priority: options?.urgent ? 1 : 5 }, task),
    stop: () => (stopped ??= limiter.stop({ dropWaitingJobs: true })),
  };
}
