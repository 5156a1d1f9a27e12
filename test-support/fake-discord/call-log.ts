// The record of every REST call (see fake-kit/call-log.ts).
import { type CallLog as KitCallLog, createCallLog as createKitCallLog } from "../fake-kit/call-log.js";
import type { WaitList } from "../fake-kit/waits.js";
import type { RecordedCall } from "./types.js";

export type FreshCall = Omit<RecordedCall, "id" | "status" | "response" | "answeredAt" | "responseHeaders">;

export type CallLog = KitCallLog<RecordedCall, FreshCall>;

export function createCallLog(waits: WaitList): CallLog {
  return createKitCallLog<RecordedCall, FreshCall>(waits);
}
