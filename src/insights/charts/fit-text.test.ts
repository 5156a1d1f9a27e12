import { describe, expect, it } from "vitest";
import { format } from "echarts/core";
import { fitText } from "./fit-text.js";

const width = (text: string) => format.getTextRect(text, "15px Arimo").width;

const NAME = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M";

describe("fitText", () => {
  it("keeps a text that fits", () => {
    expect(fitText("qwen2.5:7b", 300, 15)).toBe("qwen2.5:7b");
  });

  it("cuts a model name's middle, keeping both ends, to the width", () => {
    const cut = fitText(NAME, 200, 15);
    expect(cut).toMatch(/^hf\.co\/.*….*Q4_K_M$/);
    // The longest cut that fits: within one character (at most 15 px) of the width.
    expect(width(cut)).toBeLessThanOrEqual(200);
    expect(width(cut)).toBeGreaterThan(200 - 15);
  });

  it("cuts a sentence's end", () => {
    expect(fitText("timed out after 30 s (stage deadline)", 120, 15, "end")).toMatch(/^timed out.*…$/);
  });
});
