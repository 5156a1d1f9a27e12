import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLiveScreen } from "./live-screen.js";

function terminal() {
  const writes: string[] = [];
  return { writes, out: { isTTY: true, columns: 40, rows: 10, write: (text: string) => writes.push(text) } };
}

describe("createLiveScreen", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("redraws in place: up over the previous frame, clear, then the new one", () => {
    const { out, writes } = terminal();
    const screen = createLiveScreen(out, (lines: string[]) => lines);
    screen.update(["one", "two"]);
    vi.advanceTimersByTime(0);
    screen.finish(["three"]);
    expect(writes).toEqual(["\x1b[Jone\ntwo\n", "\x1b[2A\r\x1b[Jthree\n"]);
  });

  it("draws at most once per interval, with the latest state", () => {
    const { out, writes } = terminal();
    const screen = createLiveScreen(out, (n: number) => [`frame ${n}`], 100);
    for (let n = 1; n <= 50; n++) {
      screen.update(n);
      vi.advanceTimersByTime(10);
    }
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(6);
    // The last frame drawn is the latest state given, not one from an earlier tick.
    expect(writes.at(-1)).toContain("frame 50");
  });

  it("draws the final state at once, and nothing after it", () => {
    const { out, writes } = terminal();
    const screen = createLiveScreen(out, (n: number) => [`frame ${n}`], 100);
    screen.update(1);
    vi.advanceTimersByTime(0);
    screen.update(2);
    screen.finish(3);
    vi.advanceTimersByTime(1000);
    expect(writes.map((write) => write.replace(/\x1b\[[0-9]*[A-Z]|\r/g, ""))).toEqual(["frame 1\n", "frame 3\n"]);
  });

  it("renders for the terminal's current size", () => {
    const { out } = terminal();
    const sizes: unknown[] = [];
    const screen = createLiveScreen(out, (_state: null, size) => {
      sizes.push(size);
      return [];
    });
    screen.finish(null);
    out.columns = 100;
    screen.finish(null);
    expect(sizes).toEqual([
      { width: 40, height: 10 },
      { width: 100, height: 10 },
    ]);
  });
});
