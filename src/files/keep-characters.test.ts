import { describe, expect, it } from "vitest";
import { keepCharacters, keptLengthAtMost } from "./keep-characters.js";

describe("keeping a document within its characters", () => {
  it("keeps a short text whole", () => {
    expect(keepCharacters("short", 10)).toEqual({ text: "short", total: 5, used: 5 });
  });

  it("keeps three quarters from the start and the rest from the end", () => {
    const kept = keepCharacters("a".repeat(100) + "b".repeat(100), 40);
    expect(kept).toMatchObject({ total: 200, used: 40 });
    expect(kept.text).toBe(`${"a".repeat(30)}\n\n[… 160 characters left out here …]\n\n${"b".repeat(10)}`);
  });

  it("never cuts an emoji in two", () => {
    const kept = keepCharacters(`${"a".repeat(29)}😀${"x".repeat(50)}😀${"b".repeat(9)}`, 40);
    expect(kept.text.startsWith("a".repeat(29) + "\n")).toBe(true);
    expect(kept.text.endsWith(`]\n\n${"b".repeat(9)}`)).toBe(true);
    expect(kept.used).toBe(38);
  });
});

describe("the longest kept text", () => {
  it("is the characters kept and the line saying what was left out, whatever the text's length", () => {
    for (const length of [41, 1000, 1_000_000]) {
      expect(keepCharacters("a".repeat(length), 40).text.length).toBeLessThanOrEqual(keptLengthAtMost(40));
    }
    expect(keepCharacters("a".repeat(1_000_000), 40).text.length).toBeGreaterThan(40);
  });
});
