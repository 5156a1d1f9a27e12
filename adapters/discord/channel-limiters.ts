import type { Schedule } from "../shared/live-message.js";
import { createRateLimiter, type RateLimiter } from "../shared/workspace-limiter.js";

// Discord caps message edits per channel (observed: about 5 per 5 s), whatever message they
// touch, so councils running side by side in one channel share one edit budget: at most one
// edit every `intervalMs` in a channel. Each card still coalesces what it cannot send.

export function createChannelLimiters(intervalMs: number) {
  const limiters = new Map<string, RateLimiter>();
  return {
    forChannel(channelId: string): Schedule {
      let limiter = limiters.get(channelId);
      if (!limiter) {
        limiter = createRateLimiter({ perMinute: Math.max(1, Math.floor(60_000 / intervalMs)), minTimeMs: intervalMs });
        limiters.set(channelId, limiter);
      }
      return limiter.schedule;
    },
    stop: () => Promise.all([...limiters.values()].map((limiter) => limiter.stop())).then(() => undefined),
  };
}

export type ChannelLimiters = ReturnType<typeof createChannelLimiters>;
