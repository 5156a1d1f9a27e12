// The record of every request the fake received, and the waits tests build on it. Waiters are
// re-checked on every change to any record, so a test can wait for "the second chat has its
// first byte" as easily as for "a chat arrived".
import { createWaitList, DEFAULT_WAIT_MS } from "../fake-kit/waits.js";
import type { RecordedRequest } from "./model-script.js";


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

export function createRequestLog(): RequestLog {
  const records: RecordedRequest[] = [];
  // Ids keep growing across clear(), so a request still running from before cannot be mistaken for a new one.
  let nextId = 1;
  const waits = createWaitList("fake-ollama");

  return {
    records,
    add(fresh) {
      const record: RecordedRequest = { id: nextId++, ...fresh, body: undefined, loaded: false, aborted: false, completed: false };
      records.push(record);
      waits.notify();
      return record;
    },
    update(record, patch) {
      Object.assign(record, patch);
      waits.notify();
    },
    waitForRequest(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return waits.wait(() => records.find(predicate), timeoutMs, "matching request");
    },
    waitForSettled(id, timeoutMs = DEFAULT_WAIT_MS) {
      const record = records.find((r) => r.id === id);
      if (!record) return Promise.reject(new Error(`fake-ollama: no request with id ${id}`));
      return waits.wait(() => (record.finishedAt === undefined ? undefined : record), timeoutMs, `end of request ${id}`);
    },
    clear() {
      records.length = 0;
    },
    close: () => waits.close(),
  };
}
