import { describe, expect, it } from "vitest";
import type { Preset } from "../../src/council/preset.js";
import { applyOverrides, memberNames } from "./overrides.js";

const preset: Preset = {
  name: "balanced",
  members: [
    { name: "Llama", model: "llama3.2:3b", temperature: 0.2 },
    { name: "Qwen", model: "qwen2.5:3b" },
  ],
  chairman: { model: "llama3.1:8b", temperature: 0.3, system: "Be brief." },
  strategy: "synthesis",
  review: "ranking",
  debateRounds: 0,
  limits: {
    numPredict: { answer: 600, debate: 600, review: 400, synthesis: 1200 },
    numCtx: { default: 8192, byModel: {} },
    callTimeoutMs: 180_000,
    stageTimeoutMs: 300_000,
    maxQuestionChars: 4000,
  },
};

describe("applyOverrides", () => {
  it("returns the preset unchanged without overrides", () => {
    expect(applyOverrides(preset, {})).toEqual(preset);
  });

  it("replaces the members by the given models, the chairman's model, the strategy and the review mode", () => {
    const changed = applyOverrides(preset, { members: ["phi3:mini", "mistral"], chairman: "qwen2.5:14b", strategy: "weighted", review: "pairwise" });
    expect(changed.members).toEqual([
      { name: "phi3", model: "phi3:mini" },
      { name: "mistral", model: "mistral" },
    ]);
    expect(changed.chairman).toEqual({ model: "qwen2.5:14b", temperature: 0.3, system: "Be brief." });
    expect(changed.strategy).toBe("weighted");
    expect(changed.review).toBe("pairwise");
    expect(changed.limits).toBe(preset.limits);
    expect(preset.members[0]?.name).toBe("Llama");
  });
});

describe("memberNames", () => {
  it("names a member after its model, without tag or registry", () => {
    expect(memberNames(["llama3.2:3b", "hf.co/bartowski/Qwen2.5-3B-GGUF:Q4_K_M", "gemma2"])).toEqual(["llama3.2", "Qwen2.5-3B-GGUF", "gemma2"]);
  });

  it("keeps the tag when two sizes of one model sit together", () => {
    expect(memberNames(["qwen2.5:3b", "qwen2.5:7b", "llama3.2:3b"])).toEqual(["qwen2.5-3b", "qwen2.5-7b", "llama3.2"]);
  });

  it("numbers the same model seated twice, comparing names as the presets file does (ignoring case)", () => {
    expect(memberNames(["llama3.2:3b", "llama3.2", "Llama3.2:3b", "llama3.2:latest"])).toEqual(["llama3.2-3b", "llama3.2-latest", "Llama3.2-3b-2", "llama3.2-latest-2"]);
  });

  it("keeps names within the presets file's 32 characters", () => {
    const long = "a-model-with-an-extremely-long-name-indeed:7b";
    const names = memberNames([long, long]);
    expect(names).toEqual(["a-model-with-an-extremely-long-n", "a-model-with-an-extremely-long-2"]);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(32);
  });
});
