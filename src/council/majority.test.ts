import { describe, expect, it } from "vitest";
import { majority, normaliseAnswer } from "./majority.js";

describe("majority", () => {
  it.each([
    ["Paris.", "paris"],
    ["**Paris**", "paris"],
    ["The answer is Paris!", "paris"],
    ["  Montréal ", "montreal"],
    ["The Hague", "hague"],
  ])("normalises %j to %j", (text, normal) => {
    expect(normaliseAnswer(text)).toBe(normal);
  });

  it("picks the largest group, ties to the group whose best member comes first", () => {
    expect(majority([{ member: "A", text: "Lyon" }, { member: "B", text: "Paris" }, { member: "C", text: "paris." }])).toEqual({
      member: "B",
      votes: 2,
      of: 3,
      members: ["B", "C"],
    });
    expect(majority([{ member: "A", text: "Lyon" }, { member: "B", text: "Paris" }])?.member).toBe("A");
  });

  it("weighs votes", () => {
    const weights: Record<string, number> = { A: 9, B: 2, C: 2 };
    const outcome = majority(
      [{ member: "A", text: "Paris" }, { member: "B", text: "Lyon" }, { member: "C", text: "Lyon" }],
      (member) => weights[member] ?? 0,
    );
    expect(outcome).toMatchObject({ member: "A", votes: 9, of: 13 });
  });
});
