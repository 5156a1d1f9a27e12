// The record of every Web API call (see fake-kit/call-log.ts), with Slack's ok and error read
// from each answer.
import { type CallLog as KitCallLog, createCallLog as createKitCallLog } from "../fake-kit/call-log.js";
import type { WaitList } from "../fake-kit/waits.js";
import type { RecordedCall } from "./types.js";

export type FreshCall = Omit<RecordedCall, "id" | "status" | "response" | "ok" | "error" | "answeredAt" | "responseHeaders">;

export type CallLog = KitCallLog<RecordedCall, FreshCall>;

export function createCallLog(waits: WaitList): CallLog {
  return createKitCallLog<RecordedCall, FreshCall>(waits);
}

/** What a Web API answer says of itself: ok, and the error code when it is not. */
export function outcomeOf(response: Record<string, unknown>): Pick<RecordedCall, "ok" | "error"> {
  return { ok: response.ok === true, ...(typeof response.error === "string" && { error: response.error }) };
}
