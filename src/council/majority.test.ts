import { describe, expect, it } from "vitest";
import { normaliseAnswer } from "./final-answer.js";
import { majority } from "./majority.js";

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
      majority: true,
    });
    expect(majority([{ member: "A", text: "Lyon" }, { member: "B", text: "Paris" }])?.member).toBe("A");
  });

  it("groups workings that end on the same final answer, as the vote counts them", () => {
    const outcome = majority([
      { member: "A", text: "6 trays of 7 cakes: 6 × 7 = 42.\nAnswer: 42" },
      { member: "B", text: "Seven per tray, six trays, so the answer is 42." },
      { member: "C", text: "I think it is 48." },
    ]);
    expect(outcome).toMatchObject({ member: "A", votes: 2, of: 3, members: ["A", "B"], majority: true });
  });

  it("weighs votes", () => {
    const weights: Record<string, number> = { A: 9, B: 2, C: 2 };
    const outcome = majority(
      [{ member: "A", text: "Paris" }, { member: "B", text: "Lyon" }, { member: "C", text: "Lyon" }],
      (member) => weights[member] ?? 0,
    );
    expect(outcome).toMatchObject({ member: "A", votes: 9, of: 13, majority: true });
  });

  it("is no majority when the largest group has half the votes or less", () => {
    expect(majority([{ member: "A", text: "Lyon" }, { member: "B", text: "Paris" }, { member: "C", text: "Nice" }])).toMatchObject({ member: "A", votes: 1, of: 3, majority: false });
    const plurality = majority(["Paris", "paris", "Lyon", "Nice"].map((text, i) => ({ member: `M${i}`, text })));
    expect(plurality).toMatchObject({ member: "M0", votes: 2, of: 4, members: ["M0", "M1"], majority: false });
  });
});
