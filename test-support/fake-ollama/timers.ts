// Every wait in the fake goes through here, against one monotonic clock, so that schedules
// stay accurate (deadlines are absolute, not chained delays that drift) and close() can
// prove nothing is left behind.

export const now = (): number => performance.now();

export interface Timers {
  /**
   * Resolves once performance.now() has reached `deadline`, or rejects with the signal's
   * reason when it aborts. A deadline already due resolves without a timer, so Infinity
   * rates cost no timers at all.
   */
  sleepUntil(deadline: number, signal: AbortSignal): Promise<void>;
  /** Runs `action` at `deadline` unless dispose() comes first. For work no client can cancel. */
  at(deadline: number, action: () => void): void;
  /** Resolves when the signal aborts; holds no timer. */
  untilAborted(signal: AbortSignal): Promise<never>;
  pending(): number;
  /** Clears every timer and refuses new ones: sleeps reject, `at` actions never run. */
  dispose(): void;
}

export function createTimers(): Timers {
  const live = new Set<NodeJS.Timeout>();
  let disposed = false;

  // setTimeout rounds to whole milliseconds and libuv's cached loop time can make it fire a
  // little early against performance.now(), so a timer re-arms until the deadline has passed.
  function arm(deadline: number, onDue: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      if (timer) live.delete(timer);
      if (disposed) return;
      const remaining = deadline - now();
      if (remaining <= 0) {
        timer = undefined;
        onDue();
        return;
      }
      timer = setTimeout(check, Math.max(1, Math.ceil(remaining)));
      live.add(timer);
    };
    check();
    return () => {
      if (timer) {
        clearTimeout(timer);
        live.delete(timer);
        timer = undefined;
      }
    };
  }

  return {
    sleepUntil(deadline, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (disposed) return Promise.reject(new Error("fake-ollama: closed"));
      if (deadline <= now()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let cancel = () => {};
        const onAbort = () => {
          cancel();
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        cancel = arm(deadline, () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    },
    at(deadline, action) {
      arm(deadline, action);
    },
    untilAborted(signal) {
      return new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    },
    pending: () => live.size,
    dispose() {
      disposed = true;
      for (const timer of live) clearTimeout(timer);
      live.clear();
    },
  };
}
