// The record of every REST call: added on arrival (so a test can see what is in flight) and
// completed with the status and response when answered. waitForCall only matches answered calls.
import type { RecordedCall } from "./types.js";
import { createWaitList, DEFAULT_WAIT_MS } from "../fake-kit/waits.js";

export type FreshCall = Omit<RecordedCall, "id" | "status" | "response" | "answeredAt" | "responseHeaders">;

export interface CallLog {
  readonly calls: readonly RecordedCall[];
  readonly rateLimitHits: number;
  add(fresh: FreshCall): RecordedCall;
  answer(call: RecordedCall, status: number, response: unknown, headers: Record<string, string>, at: number): void;
  update(call: RecordedCall, patch: Partial<RecordedCall>): void;
  waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  clear(): void;
  close(): void;
}

export function createCallLog(): CallLog {
  const calls: RecordedCall[] = [];
  const waits = createWaitList("fake-discord");
  // Ids keep growing across clear(), so a call still in flight from before is never mistaken for a new one.
  let nextId = 1;
  let rateLimitHits = 0;
  return {
    calls,
    get rateLimitHits() {
      return rateLimitHits;
    },
    add(fresh) {
      const call: RecordedCall = { id: nextId++, ...fresh };
      calls.push(call);
      waits.notify();
      return call;
    },
    answer(call, status, response, headers, at) {
      Object.assign(call, { status, response, responseHeaders: headers, answeredAt: at });
      if (status === 429) rateLimitHits++;
      waits.notify();
    },
    update(call, patch) {
      Object.assign(call, patch);
      waits.notify();
    },
    waitForCall(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      return waits.wait(() => calls.find((c) => c.status !== undefined && predicate(c)), timeoutMs, "matching answered call");
    },
    clear() {
      calls.length = 0;
      rateLimitHits = 0;
    },
    close: () => waits.close(),
  };
}
