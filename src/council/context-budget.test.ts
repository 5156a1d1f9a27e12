import { describe, expect, it } from "vitest";
import { estimateTokens, fitTexts, promptWasCut } from "./context-budget.js";

describe("context budget", () => {
  it("leaves texts alone when they fit", () => {
    expect(fitTexts(["short", "texts"], "fixed", 4096, 500)).toMatchObject({ texts: ["short", "texts"], trimmed: false });
  });

  it("trims long texts to an equal share and lets short ones keep their length", () => {
    const long = "word ".repeat(2000);
    const result = fitTexts(["tiny", long, long], "fixed part", 2048, 200);
    expect(result.trimmed).toBe(true);
    expect(result.texts[0]).toBe("tiny");
    expect(result.texts[1]).toBe(result.texts[2]);
    expect(result.texts[1]?.endsWith("[…trimmed to fit the model's context]")).toBe(true);
    expect(result.estimatedTokens).toBeLessThanOrEqual(2048 - 200);
  });

  it("knows a prompt was cut when it filled the context", () => {
    expect(promptWasCut(4096, 4096)).toBe(true);
    expect(promptWasCut(3000, 4096)).toBe(false);
    expect(estimateTokens("x".repeat(35))).toBe(10);
  });
});
