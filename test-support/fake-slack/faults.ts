// failNext: scripted failures for the next matching Web API calls, checked after the token and
// the rate limits and before the handler runs (so a faulted call changes nothing in the fake),
// or, with `afterApplying`, answered once the handler has applied the call (a lost answer).
import { type FaultScript as KitFaultScript, createFaultScript as createKitFaultScript } from "../fake-kit/fault-script.js";
import type { CallMatcher, FakeFault, RecordedCall } from "./types.js";

export type FaultScript = KitFaultScript<CallMatcher, RecordedCall, FakeFault>;

export function matches(matcher: CallMatcher, call: RecordedCall): boolean {
  return typeof matcher === "string" ? call.method === matcher : matcher(call);
}

export function createFaultScript(): FaultScript {
  return createKitFaultScript<CallMatcher, RecordedCall, FakeFault>(matches, (fault) => {
    const status = fault.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new Error(`fake-slack: failNext needs an HTTP status, got ${fault.status}`);
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`fake-slack: failNext needs times >= 1, got ${fault.times}`);
    // Slack refuses (ok:false, 429) before it writes anything; only a server or edge failure can come after the write.
    if (fault.afterApplying && status < 500) {
      throw new Error(`fake-slack: failNext's afterApplying needs a 5xx status (a write Slack made whose answer was lost), got ${status}`);
    }
  });
}

/** What a scripted fault answers. */
export function faultAnswer(fault: FakeFault): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
  const status = fault.status ?? 200;
  if (status === 429) {
    return { status, body: { ok: false, error: fault.error ?? "ratelimited" }, headers: { "Retry-After": String(fault.retryAfterS ?? 1) } };
  }
  return { status, body: { ok: false, error: fault.error ?? "internal_error" }, headers: {} };
}
