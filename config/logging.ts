import { oneOf } from "./settings.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function logLevel() {
  return oneOf(LOG_LEVELS, "info").describe("set it to one of fatal, error, warn, info, debug, trace, silent.");
}
