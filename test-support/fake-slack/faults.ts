// failNext: scripted failures for the next matching Web API calls, checked after the token and
// the rate limits and before the handler runs (so a faulted call changes nothing in the fake).
import type { CallMatcher, FakeFault, RecordedCall } from "./types.js";

export interface FaultScript {
  add(matcher: CallMatcher, fault: FakeFault): void;
  /** The fault for this call, counting it against its `times`, or undefined. */
  take(call: RecordedCall): FakeFault | undefined;
  clear(): void;
}

export function matches(matcher: CallMatcher, call: RecordedCall): boolean {
  return typeof matcher === "string" ? call.method === matcher : matcher(call);
}

export function createFaultScript(): FaultScript {
  const entries: { matcher: CallMatcher; fault: FakeFault; left: number }[] = [];
  return {
    add(matcher, fault) {
      const status = fault.status ?? 200;
      if (!Number.isInteger(status) || status < 200 || status > 599) throw new Error(`fake-slack: failNext needs an HTTP status, got ${fault.status}`);
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1) throw new Error(`fake-slack: failNext needs times >= 1, got ${fault.times}`);
      entries.push({ matcher, fault, left: times });
    },
    take(call) {
      const entry = entries.find((e) => e.left > 0 && matches(e.matcher, call));
      if (!entry) return undefined;
      entry.left--;
      return entry.fault;
    },
    clear() {
      entries.length = 0;
    },
  };
}

/** What a scripted fault answers. */
export function faultAnswer(fault: FakeFault): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
  const status = fault.status ?? 200;
  if (status === 429) {
    return { status, body: { ok: false, error: fault.error ?? "ratelimited" }, headers: { "Retry-After": String(fault.retryAfterS ?? 1) } };
  }
  return { status, body: { ok: false, error: fault.error ?? "internal_error" }, headers: {} };
}
