// failNext: scripted failures for the next matching calls, checked after routing and rate
// limits and before the handler runs (so a faulted call changes nothing in the fake's state).
import type { CallMatcher, FakeFault, RecordedCall } from "./types.js";

export interface FaultScript {
  add(matcher: CallMatcher, fault: FakeFault): void;
  /** The fault for this call, counting it against its `times`, or undefined. */
  take(call: RecordedCall): FakeFault | undefined;
  clear(): void;
}

export function matches(matcher: CallMatcher, call: RecordedCall): boolean {
  if (typeof matcher === "string") return call.route === matcher;
  if (typeof matcher === "function") return matcher(call);
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== call.method) return false;
  if (matcher.route !== undefined && matcher.route !== call.route) return false;
  if (matcher.path !== undefined) {
    if (typeof matcher.path === "string" ? matcher.path !== call.path : !matcher.path.test(call.path)) return false;
  }
  return true;
}

export function createFaultScript(): FaultScript {
  const entries: { matcher: CallMatcher; fault: FakeFault; left: number }[] = [];
  return {
    add(matcher, fault) {
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        throw new Error(`fake-discord: failNext needs a 4xx or 5xx status, got ${fault.status}`);
      }
      entries.push({ matcher, fault, left: fault.times ?? 1 });
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
