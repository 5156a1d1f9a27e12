import type { Logger } from "pino";
import type { CouncilStore } from "./council-store.js";

// A council must answer even when its record cannot be written (the disk is full, another
// process holds the database lock). So every store call is guarded: a failed write is dropped,
// a failed read gives an empty answer, and the failure is logged once, not once per write: a
// full disk fails some writes and not others, and each would otherwise log again.
//
// A council's final write is the one that must not be lost: a record left "running" would be
// taken, at the next start, for a council the restart cut off, and its answered card edited to
// say "interrupted". So when it fails, the status alone is tried (a small write), and the whole
// record is written again on the next call that succeeds.

/** The same failure is logged again at most this often. */
export const FAILURE_LOG_INTERVAL_MS = 10 * 60_000;

export function createSafeStore(store: CouncilStore, logger: Logger, now: () => number = Date.now): CouncilStore {
  const lastLogged = new Map<string, number>();
  /** Councils whose final record is not written yet, with the write to try again. */
  const unsaved = new Map<string, () => void>();
  let lost = 0;
  let unrecovered = false;

  function retryUnsaved(): void {
    for (const [id, write] of unsaved) {
      try {
        write();
        unsaved.delete(id);
      } catch {
        return;
      }
    }
  }

  function guard<T>(what: string, fallback: T, call: () => T): T {
    try {
      const result = call();
      retryUnsaved();
      if (unrecovered && unsaved.size === 0) {
        unrecovered = false;
        logger.info({ lost }, "the council database works again");
      }
      return result;
    } catch (error) {
      lost += 1;
      const code = (error as { code?: string }).code ?? "unknown";
      const at = now();
      const last = lastLogged.get(code);
      if (last === undefined || at - last >= FAILURE_LOG_INTERVAL_MS) {
        lastLogged.set(code, at);
        unrecovered = true;
        logger.error(
          { err: error, code, during: what, lost },
          "cannot write the council database; councils go on unrecorded until it works again (check the disk space and COUNCIL_DB)",
        );
      }
      return fallback;
    }
  }

  return {
    create: (council) => guard("create", undefined, () => store.create(council)),
    files: (id, files) => guard("files", undefined, () => store.files(id, files)),
    imageDescribed: (id, sha256, description) => guard("imageDescribed", undefined, () => store.imageDescribed(id, sha256, description)),
    place: (id, place, threadKey) => guard("place", undefined, () => store.place(id, place, threadKey)),
    started: (id, members) => guard("started", undefined, () => store.started(id, members)),
    answers: (id, members) => guard("answers", undefined, () => store.answers(id, members)),
    review: (id, ballots, ranking) => guard("review", undefined, () => store.review(id, ballots, ranking)),
    finished: (id, outcome) =>
      guard("finished", undefined, () => {
        const write = () => store.finished(id, outcome);
        try {
          write();
        } catch (error) {
          unsaved.set(id, write);
          try {
            store.settle(id, outcome.status, outcome.reason);
          } catch {
            // Still "running" in the file; the whole record is tried again later.
          }
          throw error;
        }
      }),
    settle: (id, status, reason) => guard("settle", undefined, () => store.settle(id, status, reason)),
    interruptUnfinished: (reason) => guard("interruptUnfinished", [], () => store.interruptUnfinished(reason)),
    threadTurns: (threadKey) => guard("threadTurns", [], () => store.threadTurns(threadKey)),
    // Without the database, a follow-up goes on without its thread's files, as without its context.
    threadFiles: (threadKey, max) => guard("threadFiles", [], () => store.threadFiles(threadKey, max)),
    hasThread: (threadKey) => guard("hasThread", false, () => store.hasThread(threadKey)),
    get: (id) => guard("get", undefined, () => store.get(id)),
    recent: (limit) => guard("recent", [], () => store.recent(limit)),
    // Callers keep their own in-memory claims too; with the database down those decide.
    claimEvent: (eventId, keepMs) => guard("claimEvent", true, () => store.claimEvent(eventId, keepMs)),
  };
}
