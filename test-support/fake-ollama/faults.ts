// Decides which generation requests a model's scripted fault applies to (`times`), and the
// texts a fault sends when the script gives none.
import { STATUS_CODES } from "node:http";
import type { FakeFault } from "./model-script.js";
import { QueueFullError } from "./scheduler.js";

export interface FaultCounter {
  /** Counts one generation request of `model`; returns the fault if it applies to this one. */
  take(model: string, fault: FakeFault | undefined): FakeFault | undefined;
  forget(model: string): void;
  clear(): void;
}

export function createFaultCounter(): FaultCounter {
  const seen = new Map<string, number>();
  return {
    take(model, fault) {
      if (!fault) return undefined;
      const count = seen.get(model) ?? 0;
      seen.set(model, count + 1);
      return fault.times === undefined || count < fault.times ? fault : undefined;
    },
    forget: (model) => void seen.delete(model),
    clear: () => seen.clear(),
  };
}

/** Texts real Ollama sends for these failures. */
export function httpErrorMessage(status: number, message: string | undefined): string {
  if (message !== undefined) return message;
  if (status === 503) return new QueueFullError().message;
  if (status === 500) return "llama runner process has terminated: exit status 2";
  return (STATUS_CODES[status] ?? "error").toLowerCase();
}

export const MID_STREAM_ERROR = "an error was encountered while running the model: unexpected EOF";
