// Slack retries an event it thinks was not acknowledged in time (at once, after 1 min, after
// 5 min), so one mention can arrive up to four times, and a retry may reach a bot that has
// restarted since. Each event_id starts at most one council: claims are kept in memory, and
// in the store when one is given, so they survive a restart.

export const DEDUPE_TTL_MS = 60 * 60_000;

export interface EventDedupeOptions {
  ttlMs?: number;
  now?: () => number;
  /** The durable claim: true the first time an event id is claimed within `ttlMs`. */
  claim?: (eventId: string, ttlMs: number) => boolean;
}

export function createEventDedupe(options: EventDedupeOptions = {}) {
  const { ttlMs = DEDUPE_TTL_MS, now = Date.now, claim } = options;
  const seen = new Map<string, number>();
  return {
    /** True the first time an event id is seen within the TTL. */
    firstTime(eventId: string): boolean {
      const at = now();
      for (const [id, expiresAt] of seen) {
        if (expiresAt > at) break;
        seen.delete(id);
      }
      if (seen.has(eventId)) return false;
      seen.set(eventId, at + ttlMs);
      return claim ? claim(eventId, ttlMs) : true;
    },
  };
}

export type EventDedupe = ReturnType<typeof createEventDedupe>;
