import { describe, expect, it } from "vitest";
import { ConfigError } from "./load.js";
import { loadPresets, parsePresets } from "./presets.js";

const member = (name: string, model = "llama3.2:3b") => ({ name, model });
const file = (preset: Record<string, unknown>) => ({ default: "p", presets: { p: { members: [member("A"), member("B")], chairman: "c", ...preset } } });

function problem(json: unknown): string {
  try {
    parsePresets(json, "presets.json");
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected the presets to be refused");
}

describe("presets", () => {
  it("loads the shipped file, every preset valid", () => {
    const catalog = loadPresets("config/presets.json");
    expect(catalog.names.length).toBeGreaterThan(1);
    for (const name of catalog.names) expect(catalog.get(name).members.length).toBeGreaterThanOrEqual(2);
  });

  it("reads an optional cloud price for the statistics' cost estimate, and refuses a bad one by its path", () => {
    expect(parsePresets(file({}), "x").referencePrice).toBeUndefined();
    const priced = parsePresets({ ...file({}), referencePrice: { name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10 } }, "x");
    expect(priced.referencePrice).toEqual({ name: "gpt-4o", promptPerMillion: 2.5, completionPerMillion: 10, currency: "USD" });
    const refused = (() => {
      try {
        parsePresets({ ...file({}), referencePrice: { name: "gpt-4o", promptPerMillion: -1, completionPerMillion: 10 } }, "x");
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    expect(refused).toEqual(["referencePrice.promptPerMillion must be 0 or more"]);
  });

  it("fills in limits, and turns seconds into milliseconds and numCtx into a default plus models", () => {
    const preset = parsePresets(file({ limits: { numCtx: { default: 4096, "llama3.1:8b": 16384 }, callTimeoutSeconds: 30 } }), "x").get();
    expect(preset).toMatchObject({
      strategy: "synthesis",
      review: "ranking",
      debateRounds: 0,
      chairman: { model: "c" },
      limits: { numCtx: { default: 4096, byModel: { "llama3.1:8b": 16384 } }, callTimeoutMs: 30_000, numPredict: { answer: 600 } },
    });
  });

  it.each([
    ["fewer than 2 members", file({ members: [member("A")] }), "presets.p.members must have at least 2 members"],
    ["duplicate names", file({ members: [member("A"), member("a")] }), 'presets.p.members[1].name repeats the name "a"'],
    ["an unknown strategy", file({ strategy: "voting" }), "presets.p.strategy must be one of: synthesis, best-of, majority, weighted, vote"],
    ["too many vote samples", file({ strategy: "vote", vote: { samples: 12 } }), "presets.p.vote.samples must be 9 or less"],
    ["an unknown vote selection", file({ vote: { selection: "best" } }), "presets.p.vote.selection must be plurality or confident-member"],
    ["a vote at temperature 0", file({ strategy: "vote", vote: { temperature: 0 } }), "presets.p.vote.temperature must be more than 0: at 0 every sample is the same answer"],
    ["a negative limit", file({ limits: { numPredict: { answer: -5 } } }), "presets.p.limits.numPredict.answer must be more than 0"],
    ["a misspelt key", file({ limits: { numPredit: {} } }), 'presets.p.limits: unknown key "numPredit" (did you mean "numPredict"?)'],
    ["a default that is no preset", { ...file({}), default: "q" }, 'default names "q", which is not one of the presets (p)'],
    ["a numCtx without a default", file({ limits: { numCtx: { "llama3.1:8b": 8192 } } }), 'presets.p.limits.numCtx needs a "default" entry'],
  ])("refuses %s, naming the key", (_case, json, message) => {
    expect(problem(json)).toContain(message);
  });

  it("fills in the vote's settings (3 samples at 0.7, plurality) and keeps the ones given", () => {
    expect(parsePresets(file({ strategy: "vote" }), "x").get().vote).toEqual({ samples: 3, temperature: 0.7, selection: "plurality" });
    expect(parsePresets(file({ strategy: "vote", vote: { samples: 5, selection: "confident-member" } }), "x").get().vote).toEqual({ samples: 5, temperature: 0.7, selection: "confident-member" });
  });

  it("names the presets there are when asked for one that is not", () => {
    expect(() => parsePresets(file({}), "presets.json").get("nope")).toThrow('There is no preset "nope" in presets.json; the presets are: p.');
  });

  it("says which file it could not read or parse", () => {
    expect(() => loadPresets("config/missing.json")).toThrow("council cannot read the presets file config/missing.json");
  });
});
