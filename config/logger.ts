import { pino, type DestinationStream, type Logger } from "pino";
import sonicBoom from "sonic-boom";
import type { LOG_LEVELS } from "./logging.js";

export type { Logger } from "pino";

// sonic-boom's module.exports is the class itself, which its type declarations call `default`.
const SonicBoom = sonicBoom as unknown as typeof sonicBoom.default;

interface LoggerOptions {
  level: (typeof LOG_LEVELS)[number];
  /** Values that must never reach a log line (tokens, signing secrets), whatever path they take. */
  secrets: ReadonlyArray<string | undefined>;
  /** Where lines go; tests pass a capture stream. Default: stdout, pretty when it is a terminal. */
  destination?: DestinationStream;
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
  if (process.stdout.isTTY) {
    return pino({ ...base, transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", destination: 1 } } });
  }
  return pino(base, stdoutStream());
}

/** While a reader stalls (a pager, a stopped `tee`), lines wait in memory up to this many bytes; later ones are dropped. */
const MAX_WAITING_BYTES = 16 * 1024 * 1024;
/** At exit, how often the last lines are retried against a full pipe, 100 ms apart (sonic-boom's pause after EAGAIN). */
const EXIT_FLUSH_RETRIES = 20;

/**
 * Lines to stdout that never keep the process from exiting, nor make it spin. They
 * are written asynchronously, so a slow reader does not stall the event loop; dropped for good
 * once the reader is gone (EPIPE: `| head` has read enough, `| tee` died of the same Ctrl-C);
 * and flushed at exit, waiting at most about 2 s for a reader that stopped reading. pino's own
 * destination (sonic-boom 4) retries a failed flush at exit forever, EPIPE included.
 */
function stdoutStream(): DestinationStream & { flush(callback?: (error?: Error) => void): void } {
  let flushingSync = false;
  let retries = 0;
  let readerGone = false;
  const sonic = new SonicBoom({
    fd: 1,
    maxLength: MAX_WAITING_BYTES,
    // Node opened a pipe on stdout non-blocking (reading isTTY above did), so a reader that
    // stopped reading makes a write fail with EAGAIN instead of blocking. While running, it is
    // waited for, 100 ms between tries (no spinning); at exit, only briefly.
    retryEAGAIN: () => !flushingSync || ++retries <= EXIT_FLUSH_RETRIES,
  });
  sonic.on("error", () => (readerGone = true));
  function flushSync(): void {
    if (readerGone) return;
    flushingSync = true;
    retries = 0;
    try {
      sonic.flushSync();
    } catch {
      readerGone = true;
    } finally {
      flushingSync = false;
    }
  }
  process.once("exit", flushSync);
  return {
    write(line: string) {
      if (!readerGone) sonic.write(line);
    },
    // Calls back once the lines written so far are out (or the reader is gone): before dying of a signal, say.
    flush(callback) {
      if (readerGone) callback?.();
      else sonic.flush(() => callback?.());
    },
  };
}
