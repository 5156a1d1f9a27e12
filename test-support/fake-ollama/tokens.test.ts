import { describe, expect, it } from "vitest";
import { countPromptTokens, countTokens, MESSAGE_TEMPLATE_TOKENS, splitTokens, tokenId } from "./tokens.js";

describe("splitTokens", () => {
  it("takes each word with its leading whitespace, and punctuation on its own", () => {
    expect(splitTokens("Hello, world!")).toEqual(["Hello", ",", " world", "!"]);
    expect(splitTokens("  two  spaces")).toEqual(["  two", "  spaces"]);
  });

  it("gives the text back exactly when joined, trailing whitespace included", () => {
    for (const text of ["", " ", "a", "end with space ", "line\nbreak\n\n", "émoji 🎉 ok", '{"rank":["A","B"]}']) {
      expect(splitTokens(text).join("")).toBe(text);
    }
  });

  it("does not collapse compact JSON into one token", () => {
    expect(countTokens('{"rank":["A","B"]}')).toBe(15);
  });

  it("counts nothing in empty text and one token in pure whitespace", () => {
    expect(countTokens("")).toBe(0);
    expect(splitTokens("   ")).toEqual(["   "]);
  });
});

describe("countPromptTokens", () => {
  it("adds the template overhead to every message", () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Why is the sky blue?" },
    ];
    expect(countPromptTokens(messages)).toBe(3 + 6 + 2 * MESSAGE_TEMPLATE_TOKENS);
  });
});

describe("tokenId", () => {
  it("is stable and inside the vocabulary", () => {
    expect(tokenId(" hello")).toBe(tokenId(" hello"));
    expect(tokenId(" hello")).not.toBe(tokenId("hello"));
    expect(tokenId("x")).toBeGreaterThanOrEqual(0);
    expect(tokenId("x")).toBeLessThan(128_256);
  });
});
