import type { FrameSize } from "./live-frame.js";

// Redraws a frame in place on a terminal: cursor up over the previous frame, clear to the end
// of the screen, write the new one. Token deltas arrive far faster than anyone reads, so a
// redraw happens at most every `intervalMs`, with the latest state; `finish` always draws the
// final state at once.

/** What the console writes to: process.stdout, or a stream a test reads. */
export interface TerminalOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface LiveScreen<T> {
  update(state: T): void;
  finish(state: T): void;
}

// When the output reports no size (a pseudo-terminal without one), assume the classic 80 columns.
const DEFAULT_COLUMNS = 80;

export function createLiveScreen<T>(
  out: TerminalOutput,
  render: (state: T, size: FrameSize) => string[],
  intervalMs = 100,
): LiveScreen<T> {
  let linesOnScreen = 0;
  let lastDrawAt = -Infinity;
  let latest: T | undefined;
  let timer: NodeJS.Timeout | undefined;

  const draw = (state: T) => {
    const lines = render(state, { width: out.columns || DEFAULT_COLUMNS, height: out.rows || undefined });
    const backOverPrevious = linesOnScreen > 0 ? `\x1b[${linesOnScreen}A\r` : "";
    out.write(`${backOverPrevious}\x1b[J${lines.map((line) => `${line}\n`).join("")}`);
    linesOnScreen = lines.length;
    lastDrawAt = Date.now();
  };

  return {
    update(state) {
      latest = state;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        draw(latest as T);
      }, Math.max(0, lastDrawAt + intervalMs - Date.now()));
    },
    finish(state) {
      clearTimeout(timer);
      timer = undefined;
      draw(state);
    },
  };
}
