// Shared by the fake servers: the fake's one notion of time, the wall clock plus an offset a
// test can push forward, so "15 minutes later" or "the rate-limit window is over" costs no
// real waiting.

export interface FakeClock {
  /** Milliseconds since the epoch, as the fake sees it: Date.now() plus every advance so far. */
  now(): number;
  /** Moves the fake's time forward by `ms` (no timers fire: nothing in the fake waits on them). */
  advance(ms: number): void;
  /** How far the clock has been pushed ahead of the wall clock. */
  offset(): number;
}

/** `fake` names the fake in its errors ("fake-discord", "fake-slack"). */
export function createClock(fake: string): FakeClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`${fake}: cannot advance the clock by ${ms} ms`);
      offset += ms;
    },
    offset: () => offset,
  };
}
