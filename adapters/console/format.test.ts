import { describe, expect, it } from "vitest";
import { displayWidth, fitTail, fitWidth, flow, formatCount, formatDuration, formatTokens, oneLine, printable, wrap } from "./format.js";

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [4200, "4.2 s"],
    [59_940, "59.9 s"],
    [125_000, "2 min 05 s"],
    [3_780_000, "1 h 03 min"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("counts", () => {
  it("groups thousands and says token or tokens", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatTokens(1)).toBe("1 token");
    expect(formatTokens(312)).toBe("312 tokens");
  });
});

describe("text for a terminal", () => {
  it("drops escape sequences and control characters a model might write, keeping newlines", () => {
    expect(printable("red \x1b[31mtext\x1b[0m\x07 and\ttab\r\nnext")).toBe("red text and  tab\nnext");
    expect(oneLine("  two\n\nlines  ")).toBe("two lines");
  });

  it("counts emoji and East Asian characters as two columns and combining marks as none", () => {
    expect(displayWidth("🥇 Qwen")).toBe(7);
    expect(displayWidth("空が青い")).toBe(8);
    expect(displayWidth("e\u0301")).toBe(1);
  });

  it("cuts a line to its width with an ellipsis, at the end or at the start", () => {
    expect(fitWidth("abcdefghij", 6)).toBe("abcde…");
    expect(fitWidth("空が青い", 5)).toBe("空が…");
    expect(fitWidth("short", 10)).toBe("short");
    expect(fitTail("the last words", 8)).toBe("…t words");
  });

  it("wraps words to the width, breaks words longer than a line, and keeps paragraphs", () => {
    const lines = wrap("one two three four\n\nabcdefghijklmnop", 7);
    expect(lines).toEqual(["one two", "three", "four", "", "abcdefg", "hijklmn", "op"]);
    for (const line of wrap("空が青いのはレイリー散乱のためです 🌍🌤️", 5)) expect(displayWidth(line)).toBeLessThanOrEqual(5);
  });

  it("flows segments onto lines, breaking only between them", () => {
    expect(flow(["Tokens: 1", "2 total", "3 tokens/s"], 20)).toEqual(["Tokens: 1 · 2 total", "3 tokens/s"]);
  });
});
