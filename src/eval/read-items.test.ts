import { describe, expect, it } from "vitest";
import { EvalDataError } from "./items.js";
import { parseItems } from "./read-items.js";

const lines = (...objects: unknown[]) => objects.map((object) => JSON.stringify(object)).join("\n");

describe("reading a question file", () => {
  it("reads items of every kind, a choice answered by letter or by text", () => {
    const { items, format } = parseItems(
      lines(
        { id: "n", question: "6 times 7?", answer: "1,200", kind: "number" },
        { id: "c", question: "Which?", choices: ["x", "y", "z"], answer: "(C)", kind: "choice" },
        { id: "t", question: "Which?", choices: ["x", "y"], answer: "Y", kind: "choice" },
        { id: "e", question: "Capital?", answer: "Paris", kind: "exact" },
        { id: "r", question: "When?", answer: "19[0-9]{2}", kind: "regex" },
      ),
    );
    expect(format).toBe("items");
    expect(items.map((item) => item.answer)).toEqual([1200, 2, 1, "Paris", "19[0-9]{2}"]);
  });

  it("imports GSM8K lines, the number after ####", () => {
    const { items, format } = parseItems(lines({ question: "A made-up word problem?", answer: "First 3 + 4 = 7.\nThen 7 * 2 = 14.\n#### 1,014" }, { question: "Another?", answer: "#### -3" }));
    expect(format).toBe("gsm8k");
    expect(items).toEqual([
      { id: "gsm8k-1", question: "A made-up word problem?", kind: "number", answer: 1014 },
      { id: "gsm8k-2", question: "Another?", kind: "number", answer: -3 },
    ]);
  });

  it("imports ARC lines in AI2's shape and in the Hugging Face export, digit labels as letters", () => {
    const ai2 = { id: "x-1", question: { stem: "Which is a gas?", choices: [{ text: "ice", label: "1" }, { text: "steam", label: "2" }, { text: "rock", label: "3" }] }, answerKey: "2" };
    const hf = { id: "x-2", question: "Which is a metal?", choices: { text: ["wood", "iron"], label: ["A", "B"] }, answerKey: "B" };
    const { items, format } = parseItems(lines(ai2, hf));
    expect(format).toBe("arc");
    expect(items).toEqual([
      { id: "x-1", question: "Which is a gas?", kind: "choice", choices: ["ice", "steam", "rock"], answer: 1 },
      { id: "x-2", question: "Which is a metal?", kind: "choice", choices: ["wood", "iron"], answer: 1 },
    ]);
  });

  it.each([
    ["", /line 1: the file has no items/],
    ["{not json", /line 1 is not JSON/],
    [lines({ question: "?", answer: "no marker" }), /line 1 is in no format the evaluation reads/],
    [lines({ id: "a", question: "?", answer: 1, kind: "count" }), /line 1: kind needs a "kind" of number, choice, exact or regex|line 1: .*number, choice, exact or regex/],
    [lines({ id: "a", question: "?", answer: "many", kind: "number" }), /line 1: answer "many" is not a number/],
    [lines({ id: "a", question: "?", choices: ["x", "y"], answer: "D", kind: "choice" }), /line 1: answer "D" names choice D, but there are only 2 \(A to B\)/],
    [lines({ id: "a", question: "?", answer: "(", kind: "regex" }), /line 1: answer is not a valid regular expression/],
    [lines({ id: "a", question: "?", answer: 1, kind: "number" }, { id: "a", question: "?", answer: 2, kind: "number" }), /the id "a" is used twice/],
    [lines({ id: "a", question: "?", answer: 1, kind: "number", extra: 1 }), /line 1: .*extra/],
    [lines({ id: "a", question: { stem: "?", choices: [{ text: "x", label: "A" }] }, answerKey: "Q" }), /line 1: answerKey "Q" is none of the choices' labels \(A\)/],
  ])("refuses %j, naming the line and the fix", (text, message) => {
    expect(() => parseItems(text)).toThrow(EvalDataError);
    expect(() => parseItems(text)).toThrow(message);
  });
});
