import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "pino";
import { AdmissionClosedError, type AdmissionRefusalReason, type FairAdmission, type Ticket } from "./admission/fair-admission.js";
import { checkQuestion, type CouncilEngine, QuestionRejectedError } from "./council/engine.js";
import type { CouncilEvent } from "./council/events.js";
import type { Preset } from "./council/preset.js";
import { type Attachment, attachmentRecord } from "./files/index.js";
import { type BotMetrics, platformLabel } from "./metrics/bot-metrics.js";
import { observeCouncil } from "./metrics/observe-council.js";
import type { CouncilRecord } from "./store/council-record.js";
import type { CouncilStore } from "./store/council-store.js";
import { recordEvents } from "./store/record-events.js";
import { EARLIER_FILES_MAX, threadAttachments } from "./thread-attachments.js";

// Everything around a council that is not deliberation, for every chat platform alike: a seat
// from the fair admission (or a refusal that says when to come back), the durable record, the
// conversation's earlier turns and files as context, and a clean end when the bot stops: waiting
// councils are told at once, running ones get a grace period, then are interrupted.

export const INTERRUPTED_BY_STOP = "the council bot stopped before this question was answered. Please ask again.";
export const INTERRUPTED_BY_RESTART = "the council bot restarted before this question was answered. Please ask again.";

/**
 * Each place is shown for the last few; further back, every fifth. With a long queue, every
 * council that starts moves every waiting card, and the edits would crowd out the cards that
 * matter on a shared budget (Slack's is 45 a minute per workspace).
 */
const shouldShow = (ahead: number) => ahead <= 5 || ahead % 5 === 0;

/** A council that starts within this long of being admitted never shows a "waiting" card. */
const QUIET_START_MS = 50;
/** After the grace period, interrupted councils get this long to show it before the bot stops anyway. */
const INTERRUPT_GRACE_MS = 10_000;
/** On a stop at once (a second signal), how long the interrupted councils' cards get to say so before the bot stops anyway. */
export const STOP_NOW_CARDS_MS = 3_000;

export interface CouncilRequest {
  platform: string;
  /** The platform's id of whoever asks: the unit of fairness. */
  asker: string;
  question: string;
  preset: Preset;
  /** The conversation it is asked in: its earlier councils (their answers and files) become the context. */
  threadKey?: string;
  /** The question's own files, read (readAttachments) and checked (checkAttachments); recorded without an image's bytes. */
  attachments?: readonly Attachment[];
  /** Aborts the council (its card was deleted, say). */
  signal?: AbortSignal;
}

export type CouncilRefusal =
  | { kind: "question"; message: string }
  | { kind: AdmissionRefusalReason; retryAfterMs: number };

export interface CouncilRun {
  id: string;
  /** The question as the council sees it (trimmed). */
  question: string;
  /** "queued" while waiting, then the engine's events, or "interrupted"; recorded as they pass. */
  events: AsyncIterable<CouncilEvent>;
  /** Records where the platform shows the council, and the conversation it opened. */
  place(place: unknown, threadKey?: string): void;
  /** However the showing ended: frees the seat; a council that never ran is recorded as failed with `reason`. */
  close(reason?: string): void;
}

export type Opened = { opened: true; run: CouncilRun } | { opened: false; refusal: CouncilRefusal };

export interface CouncilServiceDeps {
  engine: Pick<CouncilEngine, "runCouncil" | "checkAttachments">;
  admission: FairAdmission;
  /** Guarded (safe-store.ts): never throws. */
  store: CouncilStore;
  logger: Logger;
  /** Counts each council's events, its wait for a seat, and one that ended unshown (absent: none counted). */
  metrics?: BotMetrics;
}

export interface CouncilService {
  open(request: CouncilRequest): Opened;
  /**
   * Whether the preset can take these files (an image needs a member whose model can see):
   * a refusal for the asker, or undefined. Asked before `open`, so a refused question takes no seat.
   */
  checkAttachments(preset: Preset, attachments: readonly Attachment[]): Promise<CouncilRefusal | undefined>;
  /** Whether a council was asked in this conversation (so the bot answers follow-ups there). */
  hasThread(threadKey: string): boolean;
  /** At start: the councils a previous run left unfinished, now recorded as interrupted, for their cards to say so. */
  recoverInterrupted(): CouncilRecord[];
  /** Refuses new councils, lets running ones finish within `graceMs`, then interrupts the rest and waits for their cards. */
  drain(graceMs: number): Promise<{ finished: number; interrupted: number }>;
  /**
   * Stops now (a second signal): refuses new councils, interrupts every open one, waiting ones
   * included, gives their cards up to `cardsMs` to say so, then records every council still
   * unfinished as interrupted. `cardsLeft` counts the cards that did not get there in time.
   */
  stopNow(cardsMs: number): Promise<{ interrupted: number; cardsLeft: number }>;
  inFlight(): number;
  waiting(): number;
}

export function createCouncilService(deps: CouncilServiceDeps): CouncilService {
  const { admission, store, logger, metrics } = deps;
  const stopping = new AbortController();
  // Every open council listens to it.
  setMaxListeners(0, stopping.signal);
  const open = new Set<Promise<void>>();
  let interrupted = 0;

  function openCouncil(request: CouncilRequest): Opened {
    let question: string;
    try {
      question = checkQuestion(request.question, request.preset);
    } catch (error) {
      return { opened: false, refusal: questionRefusal(error) };
    }
    const admitted = admission.enter(`${request.platform}:${request.asker}`);
    if (!admitted.admitted) return { opened: false, refusal: { kind: admitted.reason, retryAfterMs: admitted.retryAfterMs } };
    const entry: Ticket = admitted;
    if (metrics) {
      const admittedAt = performance.now();
      // A ticket closed before its seat never started: it has no wait to count.
      entry.started.then(() => metrics.queueWait.observe((performance.now() - admittedAt) / 1000), () => {});
    }

    const id = randomUUID();
    const asked = request.attachments ?? [];
    // Read before this council is recorded, so they are the files of the councils before it.
    const attachments = threadAttachments(request.threadKey ? store.threadFiles(request.threadKey, EARLIER_FILES_MAX) : [], asked);
    store.create({ id, platform: request.platform, asker: request.asker, question, preset: request.preset.name, ...(request.threadKey && { threadKey: request.threadKey }) });
    if (asked.length > 0) store.files(id, asked.map(attachmentRecord));
    let ended = false;
    let closed: () => void = () => {};
    const done = new Promise<void>((resolve) => (closed = resolve));
    open.add(done);
    void done.then(() => open.delete(done));

    // One controller per council, listening to the stop, not AbortSignal.any over the service's
    // long-lived stop signal: Node 20 keeps a reference per combined signal on its sources
    // (nodejs/node#55351), which would grow with every council the bot ever ran.
    const cancel = new AbortController();
    const stop = () => cancel.abort(stopping.signal.reason);
    stopping.signal.addEventListener("abort", stop, { once: true });
    request.signal?.addEventListener("abort", () => cancel.abort(request.signal?.reason), { once: true });
    const signal = cancel.signal;
    async function* lifecycle(): AsyncGenerator<CouncilEvent> {
      try {
        yield* waitForSeat(entry);
      } catch (error) {
        if (!(error instanceof AdmissionClosedError)) throw error;
        yield { type: "interrupted", reason: INTERRUPTED_BY_STOP };
        return;
      }
      const context = request.threadKey ? store.threadTurns(request.threadKey) : [];
      const options = { signal, context, ...(attachments.length > 0 && { attachments }) };
      for await (const event of deps.engine.runCouncil(question, request.preset, options)) {
        // A council cut short by the stop is interrupted, not failed: nothing was wrong with it.
        if (event.type === "council-finished" && stopping.signal.aborted && event.status !== "completed") {
          yield { type: "interrupted", reason: INTERRUPTED_BY_STOP };
        } else {
          yield event;
        }
      }
    }
    async function* events(): AsyncGenerator<CouncilEvent> {
      const recorded = recordEvents(lifecycle(), store, id);
      for await (const event of metrics ? observeCouncil(recorded, request.platform, metrics) : recorded) {
        if (event.type === "council-finished" || event.type === "interrupted") {
          ended = true;
          // The seat goes to the next council now, not once this one's final card has been delivered.
          entry.leave();
        }
        if (event.type === "interrupted") interrupted += 1;
        yield event;
      }
    }

    const run: CouncilRun = {
      id,
      question,
      events: events(),
      place: (place, threadKey) => store.place(id, place, threadKey),
      close(reason = "the council could not be shown") {
        entry.leave();
        stopping.signal.removeEventListener("abort", stop);
        if (!ended) {
          ended = true;
          store.finished(id, { status: "failed", reason, members: [] });
          metrics?.councils.inc({ platform: platformLabel(request.platform), status: "failed" });
        }
        closed();
      },
    };
    return { opened: true, run };
  }

  /** Whether every open council's showing ended within `ms`. */
  const allClosedWithin = (ms: number) => Promise.race([Promise.all([...open]).then(() => true), delay(ms, false, { ref: false })]);

  async function drain(graceMs: number) {
    const before = open.size;
    await admission.close();
    if (!(await allClosedWithin(graceMs))) {
      logger.warn({ councils: open.size, graceMs }, "councils still running after the grace period; interrupting them");
      stopping.abort(new Error(INTERRUPTED_BY_STOP));
      await allClosedWithin(INTERRUPT_GRACE_MS);
    }
    return { finished: before - interrupted, interrupted };
  }

  async function stopNow(cardsMs: number) {
    const before = interrupted;
    void admission.close();
    stopping.abort(new Error(INTERRUPTED_BY_STOP));
    await allClosedWithin(cardsMs);
    // Those whose events never got to "interrupted" (their card was still being edited, say):
    // the record must not say "running", whatever their card says.
    const unrecorded = store.interruptUnfinished(INTERRUPTED_BY_STOP);
    return { interrupted: interrupted - before + unrecorded.length, cardsLeft: open.size };
  }

  async function checkAttachments(preset: Preset, attachments: readonly Attachment[]): Promise<CouncilRefusal | undefined> {
    try {
      await deps.engine.checkAttachments(preset, attachments);
      return undefined;
    } catch (error) {
      return questionRefusal(error);
    }
  }

  return {
    open: openCouncil,
    checkAttachments,
    hasThread: (threadKey) => store.hasThread(threadKey),
    recoverInterrupted: () => store.interruptUnfinished(INTERRUPTED_BY_RESTART),
    drain,
    stopNow,
    inFlight: () => admission.inFlight(),
    waiting: () => admission.waiting(),
  };
}

/** The engine's QuestionRejectedError as the refusal shown to the asker; any other error goes on. */
function questionRefusal(error: unknown): CouncilRefusal {
  if (error instanceof QuestionRejectedError) return { kind: "question", message: error.message };
  throw error;
}

/**
 * Yields "queued" with the number ahead each time it changes, until the ticket holds a seat;
 * throws AdmissionClosedError if the bot stops first. Says nothing when the seat comes at once.
 */
async function* waitForSeat(ticket: Ticket): AsyncGenerator<CouncilEvent> {
  // An object, not a `let`: the callbacks below change it between the loop's checks.
  const seat: { state: "waiting" | "started" | "closed"; failure?: unknown } = { state: "waiting" };
  let wake = () => {};
  ticket.started.then(
    () => {
      seat.state = "started";
      wake();
    },
    (error: unknown) => {
      seat.state = "closed";
      seat.failure = error;
      wake();
    },
  );
  let ahead = ticket.ahead();
  const unsubscribe = ticket.onAhead((count) => {
    ahead = count;
    wake();
  });
  try {
    await Promise.race([ticket.started.catch(() => {}), delay(QUIET_START_MS, undefined, { ref: false })]);
    let shown: number | undefined;
    for (;;) {
      if (seat.state === "started") return;
      if (seat.state === "closed") throw seat.failure;
      if (ahead !== shown && (shown === undefined || shouldShow(ahead))) {
        shown = ahead;
        yield { type: "queued", ahead };
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    unsubscribe();
  }
}
