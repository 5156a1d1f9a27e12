import { Writable } from "node:stream";
import type { TerminalOutput } from "./live-screen.js";

// What readline writes (the prompt, the echo of each key typed) passes through this gate. While
// a council is drawn live the gate is shut: keys typed then would otherwise be echoed into the
// frame and throw off its cursor-up redraw. readline still reads them, so Ctrl-C still cancels
// and Enter still queues the line.

export interface OutputGate {
  /** Give this to readline as its output. */
  stream: Writable & TerminalOutput;
  shut(): void;
  open(): void;
  /** Stops following the terminal's resizes. */
  dispose(): void;
}

export function createOutputGate(out: TerminalOutput & NodeJS.EventEmitter): OutputGate {
  let shut = false;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (!shut) out.write(chunk.toString());
      done();
    },
  });
  // readline lays out the line by the terminal's width and redraws on a resize.
  Object.defineProperties(stream, {
    isTTY: { get: () => out.isTTY },
    columns: { get: () => out.columns },
    rows: { get: () => out.rows },
  });
  const onResize = () => stream.emit("resize");
  out.on("resize", onResize);
  return {
    stream: stream as Writable & TerminalOutput,
    shut: () => (shut = true),
    open: () => (shut = false),
    dispose: () => void out.off("resize", onResize),
  };
}
