// Shared by the fake platforms: the record of every API call, added on arrival (so a test can
// see what is in flight) and completed with the status and response when answered. Waits only
// match answered calls.
import { DEFAULT_WAIT_MS, type WaitList } from "./waits.js";

/** What every fake's recorded call has; each fake adds its own fields. */
export interface LoggedCall {
  id: number;
  status?: number;
  response?: unknown;
  responseHeaders?: Record<string, string>;
  answeredAt?: number;
}

export interface CallLog<Call extends LoggedCall, Fresh> {
  readonly calls: readonly Call[];
  readonly rateLimitHits: number;
  add(fresh: Fresh): Call;
  /** `extra` is what a fake reads from the response into its own fields. */
  answer(call: Call, status: number, response: Call["response"], headers: Record<string, string>, at: number, extra?: Partial<Call>): void;
  update(call: Call, patch: Partial<Call>): void;
  waitForAnswered(predicate: (call: Call) => boolean, timeoutMs: number | undefined, describe: string): Promise<Call>;
  clear(): void;
}

export function createCallLog<Call extends LoggedCall, Fresh>(waits: WaitList): CallLog<Call, Fresh> {
  const calls: Call[] = [];
  // Ids keep growing across clear(), so a call still in flight from before is never mistaken for a new one.
  let nextId = 1;
  let rateLimitHits = 0;
  return {
    calls,
    get rateLimitHits() {
      return rateLimitHits;
    },
    add(fresh) {
      const call = { id: nextId++, ...fresh } as unknown as Call;
      calls.push(call);
      waits.notify();
      return call;
    },
    answer(call, status, response, headers, at, extra) {
      Object.assign(call, { status, response, responseHeaders: headers, answeredAt: at }, extra);
      if (status === 429) rateLimitHits++;
      waits.notify();
    },
    update(call, patch) {
      Object.assign(call, patch);
      waits.notify();
    },
    waitForAnswered(predicate, timeoutMs = DEFAULT_WAIT_MS, describe) {
      return waits.wait(() => calls.find((call) => call.status !== undefined && predicate(call)), timeoutMs, describe);
    },
    clear() {
      calls.length = 0;
      rateLimitHits = 0;
    },
  };
}
