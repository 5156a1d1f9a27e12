// Each user's acceptances in a rolling hour. Counted at acceptance, not at start or end, so
// that queueing and then leaving again and again cannot get round it.

export interface HourlyQuota {
  /** How long until the user may be accepted again; undefined when they may be now. */
  retryAfter(userKey: string, at: number): number | undefined;
  record(userKey: string, at: number): void;
}

export const HOUR_MS = 3_600_000;

/** `perHour` 0 turns the quota off. */
export function createHourlyQuota(perHour: number): HourlyQuota {
  // Insertion order is the order of users' latest acceptances (a key is deleted before it is
  // set again), so users with nothing left in the hour are at the front and pruning stops at
  // the first who has.
  const accepted = new Map<string, number[]>();

  function prune(at: number): void {
    for (const [key, times] of accepted) {
      if (at - times[times.length - 1]! < HOUR_MS) break;
      accepted.delete(key);
    }
  }

  function inHour(userKey: string, at: number): number[] {
    const times = accepted.get(userKey) ?? [];
    while (times.length > 0 && at - times[0]! >= HOUR_MS) times.shift();
    return times;
  }

  return {
    retryAfter(userKey, at) {
      if (perHour === 0) return undefined;
      prune(at);
      const times = inHour(userKey, at);
      return times.length < perHour ? undefined : times[times.length - perHour]! + HOUR_MS - at;
    },
    record(userKey, at) {
      if (perHour === 0) return;
      const times = inHour(userKey, at);
      times.push(at);
      accepted.delete(userKey);
      accepted.set(userKey, times);
    },
  };
}
