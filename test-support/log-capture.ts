import { Writable } from "node:stream";
import { createLogger } from "../config/logger.js";

/** A real pino logger whose lines are kept in memory, for asserting on what was logged. */
export function captureLogs(secrets: ReadonlyArray<string | undefined> = []) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: "debug", secrets, destination });
  return {
    logger,
    text: () => lines.join("\n"),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
