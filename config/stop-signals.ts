import { constants } from "node:os";
import type { Logger } from "pino";

// How the bot and the worker stop. The first SIGTERM or SIGINT drains: the process finishes
// what it started, within its grace, then exits 0. A later one means "now": what still runs is
// ended at once and recorded so, and the process dies of that signal, as a killed process does:
// a shell reports 143 or 130, and npm, which sees its script die of the signal, exits the same
// way without an error report.

/**
 * A repeat this soon after a signal acted on is the same request, not a second one. A Ctrl-C
 * under `npm start` reaches the process twice, from the terminal (which signals the whole
 * foreground group) and from npm (which forwards the SIGINT it got to its script); a service
 * manager that signals every process of the unit (systemd's KillMode=control-group) does the
 * same with SIGTERM.
 */
export const REPEAT_IS_SAME_MS = 1_000;

/** If the process still lives this long after (a log that would not flush, another listener that caught the signal), it exits with 128 + the signal's number. */
const DIE_FALLBACK_MS = 1_000;

export interface StopHandlers {
  /** The first signal: refuse new work, let what runs finish. The process exits 0 once it resolves, 1 if it rejects (unless a later signal took over). */
  drain(signal: NodeJS.Signals): Promise<void>;
  /** A later signal: end what runs at once, leaving a record of it. The process then dies of the signal. */
  now(signal: NodeJS.Signals): Promise<void>;
}

/**
 * `handler`, with a repeat within REPEAT_IS_SAME_MS of the last call it let through dropped as
 * the same request: under npm (`npm start`, `npm run council`) one Ctrl-C drains the bot, or
 * cancels the console's council, once, without also stopping at once, leaving or quitting.
 */
export function onePress<A extends unknown[]>(handler: (...args: A) => void, now: () => number = () => performance.now()): (...args: A) => void {
  let acceptedAt = -Infinity;
  return (...args) => {
    const at = now();
    if (at - acceptedAt < REPEAT_IS_SAME_MS) return;
    acceptedAt = at;
    handler(...args);
  };
}

export function stopOnSignals(handlers: StopHandlers, logger: Logger): void {
  let draining = false;
  let forced = false;

  const onSignal = onePress((signal: NodeJS.Signals) => {
    if (!draining) {
      draining = true;
      handlers.drain(signal).then(
        () => {
          if (!forced) process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "did not stop cleanly");
          if (!forced) process.exit(1);
        },
      );
      return;
    }
    if (forced) return;
    forced = true;
    logger.warn({ signal }, "second signal: stopping at once");
    handlers
      .now(signal)
      .catch((error: unknown) => logger.error({ err: error }, "could not record everything before stopping"))
      .finally(() => dieOf(signal));
  });

  function dieOf(signal: NodeJS.Signals): void {
    // With no listener left, Node restores the signal's default action: termination.
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    setTimeout(() => process.exit(128 + constants.signals[signal]), DIE_FALLBACK_MS);
    // Dying of a signal skips the exit handlers that flush the log: the last lines go out first.
    logger.flush(() => process.kill(process.pid, signal));
  }

  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
