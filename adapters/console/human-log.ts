import type { DestinationStream } from "pino";

// The console shares its terminal with the logs, so a log line there is a sentence, never a
// JSON object: "council warning (llm-router): worker down; skipping it (url: http://…)".

const LEVELS: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warning", 50: "error", 60: "fatal" };
// pino's own fields, said by the line's shape or not worth a reader's time.
const OMITTED = new Set(["level", "time", "pid", "hostname", "msg", "module"]);

/** A pino destination that writes each record to `out` as one line of text. */
export function humanLogLines(out: { write(text: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(`${humanLine(line)}\n`) };
}

function humanLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = LEVELS[Number(record.level)] ?? "log";
  const module = typeof record.module === "string" ? ` (${record.module})` : "";
  const details = Object.entries(record)
    .filter(([key, value]) => !OMITTED.has(key) && value !== undefined)
    .map(([key, value]) => `${key}: ${text(value)}`);
  return `council ${level}${module}: ${text(record.msg ?? "")}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}

/** A value in words: an error by its message, anything else by its JSON. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string") return (value as { message: string }).message;
  return JSON.stringify(value);
}
