// Shared by the fake servers: waits that tests build on a fake's records. Each is re-checked
// whenever a record changes, times out with a message naming what it waited for, and fails at
// once when the fake closes.

export const DEFAULT_WAIT_MS = 5000;

export interface WaitList {
  /** Re-checks every pending wait. */
  notify(): void;
  wait<T>(find: () => T | undefined, timeoutMs: number, describe: string): Promise<T>;
  /** Fails every pending wait and refuses new ones. */
  close(): void;
}

interface Waiter {
  check(): boolean;
  fail(error: Error): void;
}

/** `fake` names the fake in its errors ("fake-discord", "fake-slack", "fake-ollama"). */
export function createWaitList(fake: string): WaitList {
  const waiters = new Set<Waiter>();
  let closed = false;
  return {
    notify() {
      for (const waiter of [...waiters]) if (waiter.check()) waiters.delete(waiter);
    },
    wait(find, timeoutMs, describe) {
      const found = find();
      if (found !== undefined) return Promise.resolve(found);
      if (closed) return Promise.reject(new Error(`${fake}: closed while waiting for ${describe}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${fake}: no ${describe} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter: Waiter = {
          check() {
            const match = find();
            if (match === undefined) return false;
            clearTimeout(timer);
            resolve(match);
            return true;
          },
          fail(error) {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    close() {
      closed = true;
      for (const waiter of waiters) waiter.fail(new Error(`${fake}: closed while waiting`));
      waiters.clear();
    },
  };
}
