// /council-stats' replies, kept a short while for as long as nothing was recorded since: the
// statistics take about half a second of the bot's thread at 100,000 councils and the drawing
// a child process's time, so the same question asked again (a channel's users checking the
// leaderboard one after another, or one user repeating the command) is answered from the
// first answer instead of each costing its own. Asked while the first is still being made, it
// waits for that one.

export interface ReplyCacheOptions<T> {
  /** How long a reply is served after it was asked for. */
  ttlMs: number;
  /** How many distinct requests are kept; the oldest goes first. */
  capacity: number;
  now: () => number;
  /** Whether a settled reply may be served again (a refusal or a reply without its chart is not). */
  keep: (value: T) => boolean;
}

export function createReplyCache<T>(options: ReplyCacheOptions<T>) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();

  const forget = (key: string, value: Promise<T>) => {
    if (entries.get(key)?.value === value) entries.delete(key);
  };

  return {
    /** The reply for `key`: the one kept, or `make()`'s, kept from now on. */
    get(key: string, make: () => Promise<T>): Promise<T> {
      const now = options.now();
      const kept = entries.get(key);
      if (kept && now - kept.at < options.ttlMs) return kept.value;
      const value = make();
      entries.delete(key);
      entries.set(key, { at: now, value });
      value.then(
        (settled) => options.keep(settled) || forget(key, value),
        () => forget(key, value),
      );
      for (const oldest of entries.keys()) {
        if (entries.size <= options.capacity) break;
        entries.delete(oldest);
      }
      return value;
    },
  };
}
