import { describe, expect, it } from "vitest";
import { grade } from "./grade.js";
import type { EvalItem } from "./items.js";

const number = (answer: number): EvalItem => ({ id: "n", question: "?", kind: "number", answer });
const choice: EvalItem = { id: "c", question: "?", kind: "choice", choices: ["Mercury", "Venus", "Earth", "Mars"], answer: 1 };

describe("grading a number", () => {
  it.each([
    ["The answer is 1,200 apples.", 1200, true],
    ["Answer: $1,200.00", 1200, true],
    ["It drops 8 degrees from 3, so the answer is -5 °C.", -5, true],
    ["Answer: −5", -5, true],
    ["Answer: 3.5 km", 3.5, true],
    ["First 12, then 30, so 42 in all.", 42, true],
    // The number after the last marker counts, not a later one in the explanation.
    ["The answer is 42, since 6 times 7 is 42 and not 41.", 42, true],
    ["Draft: the answer is 40. Checking again... Final answer: 42", 42, true],
    ["#### 72", 72, true],
    ["The answer is 41.", 42, false],
    ["Answer: 5", -5, false],
    ["I cannot tell.", 42, false],
  ])("%j for %d: %s", (reply, answer, correct) => {
    expect(grade(number(answer), reply).correct).toBe(correct);
  });

  it("says what was given, comparably across replies", () => {
    expect(grade(number(1200), "Answer: 1,200").given).toBe("1200");
    expect(grade(number(1), "nothing here").given).toBe("");
    expect(grade(number(1), null)).toEqual({ correct: false, given: "" });
  });
});

describe("grading a choice", () => {
  it.each([
    ["The answer is (B).", true],
    ["Answer: B", true],
    ["Answer: b) Venus", true],
    ["**Answer:** B. It is the hottest planet.", true],
    ["Thinking about heat traps...\nVenus", true],
    ["The answer is Venus.", true],
    ["The answer is (C).", false],
    ["Answer: E", false],
    // Two choices named: no answer can be read.
    ["Either Venus or Mars.", false],
  ])("%j: %s", (reply, correct) => {
    expect(grade(choice, reply).correct).toBe(correct);
  });
});

describe("grading an exact answer and a regex", () => {
  const exact: EvalItem = { id: "e", question: "?", kind: "exact", answer: "Paris" };
  const regex: EvalItem = { id: "r", question: "?", kind: "regex", answer: "^(in )?1969$" };

  it.each([
    ["Paris", true],
    ["The answer is **Paris.**", true],
    ["It is the capital of France.\nAnswer: paris", true],
    ["Answer: Lyon", false],
    ["Paris, Texas", false],
  ])("exact %j: %s", (reply, correct) => {
    expect(grade(exact, reply).correct).toBe(correct);
  });

  it.each([
    ["Answer: 1969", true],
    ["The answer is in 1969.", true],
    ["Answer: 1968 or 1969", false],
  ])("regex %j: %s", (reply, correct) => {
    expect(grade(regex, reply).correct).toBe(correct);
  });
});
