import { describe, expect, it } from "vitest";
import { onePress, REPEAT_IS_SAME_MS } from "./stop-signals.js";

describe("onePress", () => {
  it("counts a SIGINT repeated within the same press once, and a later one again", () => {
    let clock = 0;
    let presses = 0;
    const handler = onePress(() => presses++, () => clock);
    handler();
    clock = REPEAT_IS_SAME_MS / 2;
    handler();
    expect(presses).toBe(1);
    clock = REPEAT_IS_SAME_MS * 2;
    handler();
    expect(presses).toBe(2);
  });
});
