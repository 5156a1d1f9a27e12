import { pino, type DestinationStream, type Logger } from "pino";
import type { LOG_LEVELS } from "./logging.js";

export type { Logger } from "pino";

interface LoggerOptions {
  level: (typeof LOG_LEVELS)[number];
  /** Values that must never reach a log line (tokens, signing secrets), whatever path they take. */
  secrets: ReadonlyArray<string | undefined>;
  /** Where lines go; tests pass a capture stream. Default: `stream`, pretty when it is a terminal. */
  destination?: DestinationStream;
  /** stderr keeps stdout for what a program prints (the console council, --json). Default: stdout. */
  stream?: "stdout" | "stderr";
}

// Redaction by path catches the headers we know about (a wrong token someone tried is as
// secret as the right one); scrubbing known values from every written line catches the rest,
// e.g. a token echoed inside an error message.
const REDACTED_PATHS = [
  "req.headers.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "authorization",
  "*.authorization",
];

// Tokens no setting holds, minted per request, that travel inside URLs: an error from a chat
// platform's client quotes the URL it called (discord.js's DiscordAPIError has `url`), and an
// interaction's or webhook's token in it lets anyone post or edit as the bot for its lifetime;
// a Slack response_url is the same kind of credential.
const TOKENS_IN_URLS: ReadonlyArray<[RegExp, string]> = [
  [/(\/(?:webhooks|interactions)\/\d+\/)[\w.-]{16,}/g, "$1[REDACTED]"],
  [/(hooks\.slack\.com\/(?:commands|actions|services|triggers|workflows)\/)[^\s"'\\<>]+/g, "$1[REDACTED]"],
];

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets.filter((value): value is string => typeof value === "string" && value.length > 0);
  const scrub = (line: string) =>
    TOKENS_IN_URLS.reduce(
      (text, [pattern, replacement]) => text.replace(pattern, replacement),
      secrets.reduce((text, value) => text.replaceAll(value, "[REDACTED]"), line),
    );
  const base = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
    hooks: { streamWrite: scrub },
  };
  if (options.destination) return pino(base, options.destination);
  const stream = options.stream ?? "stdout";
  if (process[stream].isTTY) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", destination: stream === "stdout" ? 1 : 2 } },
    });
  }
  return pino(base, pino.destination(stream === "stdout" ? 1 : 2));
}
