// The record of every Web API call: added on arrival (so a test can see what is in flight) and
// completed with the status and response when answered. waitForCall only matches answered calls.
import { matches } from "./faults.js";
import type { CallMatcher, RecordedCall } from "./types.js";
import { DEFAULT_WAIT_MS, type WaitList } from "../fake-kit/waits.js";

export type FreshCall = Omit<RecordedCall, "id" | "status" | "response" | "ok" | "error" | "answeredAt" | "responseHeaders">;

export interface CallLog {
  readonly calls: readonly RecordedCall[];
  readonly rateLimitHits: number;
  add(fresh: FreshCall): RecordedCall;
  answer(call: RecordedCall, status: number, response: Record<string, unknown>, headers: Record<string, string>, at: number): void;
  waitForCall(matcher: CallMatcher, timeoutMs?: number): Promise<RecordedCall>;
  clear(): void;
}

export function createCallLog(waits: WaitList): CallLog {
  const calls: RecordedCall[] = [];
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
      const error = typeof response.error === "string" ? response.error : undefined;
      Object.assign(call, { status, response, responseHeaders: headers, answeredAt: at, ok: response.ok === true, ...(error === undefined ? {} : { error }) });
      if (status === 429) rateLimitHits++;
      waits.notify();
    },
    waitForCall(matcher, timeoutMs = DEFAULT_WAIT_MS) {
      const describe = typeof matcher === "string" ? `answered ${matcher} call` : "matching answered call";
      return waits.wait(() => calls.find((c) => c.status !== undefined && matches(matcher, c)), timeoutMs, describe);
    },
    clear() {
      calls.length = 0;
      rateLimitHits = 0;
    },
  };
}
