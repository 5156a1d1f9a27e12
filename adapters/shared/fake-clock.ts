// A clock for tests of timing code that takes `now` and `sleep` as dependencies: time moves
// only when the test advances it, and every sleep due by then wakes in order, with the
// promise work it triggers run before the next one wakes. Seconds of retry-after and backoff
// take no real time.

export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Moves time forward by `ms`, waking each sleep that falls due on the way. */
  advance(ms: number): Promise<void>;
  /** Runs the promise work already queued, without moving time. */
  settle(): Promise<void>;
  /** Sleeps not yet woken. */
  sleeping(): number;
}

interface Sleeper {
  at: number;
  order: number;
  wake: () => void;
}

export function createFakeClock(start = 0): FakeClock {
  let time = start;
  let order = 0;
  const sleepers: Sleeper[] = [];

  async function settle(): Promise<void> {
    // A macrotask turn runs every queued microtask; a few turns cover work queued by that work.
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  return {
    now: () => time,
    sleep(ms) {
      return new Promise<void>((wake) => {
        sleepers.push({ at: time + Math.max(0, ms), order: order++, wake });
      });
    },
    async advance(ms) {
      const target = time + ms;
      await settle();
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        sleepers.shift();
        time = next.at;
        next.wake();
        await settle();
      }
      time = target;
      await settle();
    },
    settle,
    sleeping: () => sleepers.length,
  };
}
