// failNext: scripted failures for the next matching calls, checked after routing and rate
// limits and before the handler runs (so a faulted call changes nothing in the fake's state),
// or, with `afterApplying`, answered once the handler has applied the call (a lost answer).
import { type FaultScript as KitFaultScript, createFaultScript as createKitFaultScript } from "../fake-kit/fault-script.js";
import type { CallMatcher, FakeFault, RecordedCall } from "./types.js";

export type FaultScript = KitFaultScript<CallMatcher, RecordedCall, FakeFault>;

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
  return createKitFaultScript<CallMatcher, RecordedCall, FakeFault>(matches, (fault) => {
    if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
      throw new Error(`fake-discord: failNext needs a 4xx or 5xx status, got ${fault.status}`);
    }
    // Discord refuses with a 4xx before it writes anything; only a server or edge failure can
    // come after the write.
    if (fault.afterApplying && fault.status < 500) {
      throw new Error(`fake-discord: failNext's afterApplying needs a 5xx status (a write Discord made whose answer was lost), got ${fault.status}`);
    }
  });
}
