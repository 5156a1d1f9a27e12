import { describe, expect, it } from "vitest";
import { keepDocumentText } from "./keep-document-text.js";

describe("keeping a document's text", () => {
  it("keeps what keepCharacters keeps, with the whole text's count", () => {
    expect(keepDocumentText("short", 10)).toEqual({ text: "short", characters: { total: 5, used: 5 }, blank: false });
    expect(keepDocumentText("a".repeat(100) + "b".repeat(100), 40)).toEqual({
      text: `${"a".repeat(30)}\n\n[… 160 characters left out here …]\n\n${"b".repeat(10)}`,
      characters: { total: 200, used: 40 },
      blank: false,
    });
  });

  it("says a text of nothing but whitespace is blank, decided on the whole text: what it keeps of a long one is not", () => {
    expect(keepDocumentText(" \n\t", 10).blank).toBe(true);
    const long = keepDocumentText(" ".repeat(200), 40);
    expect(long.blank).toBe(true);
    expect(long.text.trim()).not.toBe("");
    expect(keepDocumentText(`${" ".repeat(100)}x${" ".repeat(100)}`, 40).blank).toBe(false);
  });
});
