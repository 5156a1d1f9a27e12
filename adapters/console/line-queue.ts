import type { Interface } from "node:readline";

// The lines the console has been given and not yet handled. Lines typed (or piped) while a
// council runs wait here for their turn, marked so the console can show them where they are
// asked, since their echo was held back; Ctrl-C drops them. The end of input is an end like any other: the lines
// already read are still handed out, then `next` resolves undefined.

export interface QueuedLine {
  text: string;
  /** It did not answer a prompt (typed during a council, or after another line in one paste): its echo, if any, is not where it is asked. */
  unseen: boolean;
}

export interface LineQueue {
  /** The next line, waiting for one if need be; undefined once the input ended and every line was taken. */
  next(): Promise<QueuedLine | undefined>;
  /** A line is waiting, so asking for input would be wrong. */
  ready(): boolean;
  /** The input ended (Ctrl-D, the end of a pipe, or the interface was closed). */
  ended(): boolean;
  /** Forgets the waiting lines; returns how many there were. */
  drop(): number;
}

export function createLineQueue(lines: Interface): LineQueue {
  const waiting: QueuedLine[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  lines.on("line", (text: string) => {
    // Only a line that comes while the console waits for one, with none before it, answers the prompt.
    waiting.push({ text, unseen: wake === undefined || waiting.length > 0 });
    notify();
  });
  lines.once("close", () => {
    ended = true;
    notify();
  });

  return {
    async next() {
      while (waiting.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      return waiting.shift();
    },
    ready: () => waiting.length > 0,
    ended: () => ended,
    drop: () => waiting.splice(0).length,
  };
}
