// Slack retries an event it thinks was not acknowledged in time (at once, after 1 min, after
// 5 min), so one mention can arrive up to four times. Each event_id starts at most one council.

const DEFAULT_TTL_MS = 60 * 60_000;

export function createEventDedupe(ttlMs = DEFAULT_TTL_MS, now: () => number = Date.now) {
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
      return true;
    },
  };
}

export type EventDedupe = ReturnType<typeof createEventDedupe>;
