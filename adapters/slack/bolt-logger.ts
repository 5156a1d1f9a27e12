import { LogLevel } from "@slack/bolt";
import type { Logger as PinoLogger } from "pino";

// Bolt's logger interface over our pino logger, so Bolt's lines carry the same redaction.
export function boltLogger(logger: PinoLogger) {
  let level = LogLevel.INFO;
  const write = (method: "debug" | "info" | "warn" | "error") => (...msg: unknown[]) => logger[method](msg.map(String).join(" "));
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
