// A chat event or interaction may reach the bot more than once, and a second delivery may reach
// a bot that has restarted since. Slack retries an event it thinks was not acknowledged in time
// (at once, after 1 min, after 5 min); a signed Discord interaction stays valid for the 5
// minutes of its timestamp, so a captured one can be posted again. Each id starts at most one
// council: claims are kept in memory, and in the store when one is given, so they survive a
// restart. An hour covers both platforms' windows.

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
