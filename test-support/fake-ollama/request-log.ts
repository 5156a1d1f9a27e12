// The record of every request the fake received, and the waits tests build on it. Waiters are
// re-checked on every change to any record, so a test can wait for "the second chat has its
// first byte" as easily as for "a chat arrived".
import type { RecordedRequest } from "./model-script.js";

export const DEFAULT_WAIT_MS = 5000;

type Fresh = Pick<RecordedRequest, "method" | "path" | "headers" | "receivedAt">;

export interface RequestLog {
  readonly records: readonly RecordedRequest[];
  add(fresh: Fresh): RecordedRequest;
  /** Applies the patch and wakes the waiters. */
  update(record: RecordedRequest, patch: Partial<RecordedRequest>): void;
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  waitForSettled(id: number, timeoutMs?: number): Promise<RecordedRequest>;
  clear(): void;
  /** Fails every pending wait: nothing will change any more. */
  close(): void;
}

interface Waiter {
  check(): boolean;
  fail(error: Error): void;
}

export function createRequestLog(): RequestLog {
  const records: RecordedRequest[] = [];
  // Ids keep growing across clear(), so a request still running from before cannot be mistaken for a new one.
  let nextId = 1;
  const waiters = new Set<Waiter>();
  let closed = false;

  function notify(): void {
    for (const waiter of [...waiters]) if (waiter.check()) waiters.delete(waiter);
  }

  function wait(
    find: () => RecordedRequest | undefined,
    timeoutMs: number,
    describe: string,
  ): Promise<RecordedRequest> {
    const found = find();
    if (found) return Promise.resolve(found);
    if (closed) return Promise.reject(new Error(`fake-ollama: closed while waiting for ${describe}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`fake-ollama: no ${describe} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        check() {
          const match = find();
          if (!match) return false;
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
  }

  return {
    records,
    add(fresh) {
      const record: RecordedRequest = { id: nextId++, ...fresh, body: undefined, loaded: false, aborted: false, completed: false };
      records.push(record);
      notify();
      return record;
    },
    update(record, patch) {
      Object.assign(record, patch);
      notify();
    },
    waitForRequest(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return wait(() => records.find(predicate), timeoutMs, "matching request");
    },
    waitForSettled(id, timeoutMs = DEFAULT_WAIT_MS) {
      const record = records.find((r) => r.id === id);
      if (!record) return Promise.reject(new Error(`fake-ollama: no request with id ${id}`));
      return wait(() => (record.finishedAt === undefined ? undefined : record), timeoutMs, `end of request ${id}`);
    },
    clear() {
      records.length = 0;
    },
    close() {
      closed = true;
      for (const waiter of waiters) waiter.fail(new Error("fake-ollama: closed while waiting"));
      waiters.clear();
    },
  };
}
