import { describe, expect, it } from "vitest";
import { loadPresets } from "../../config/presets.js";
import { presetListLines } from "./preset-list.js";

describe("/preset: the list of presets", () => {
  it("gives every preset of the shipped file with its description, the current one marked", () => {
    const catalog = loadPresets("config/presets.json");
    const lines = presetListLines(catalog, "quick");
    expect(lines[0]).toBe("Presets (/preset NAME switches):");
    expect(lines).toHaveLength(catalog.names.length + 1);
    for (const name of catalog.names) {
      const description = catalog.get(name).description ?? "";
      expect(description).not.toBe("");
      expect(lines.some((line) => line.startsWith(`  ${name}`) && line.endsWith(`  ${description}`))).toBe(true);
    }
    expect(lines.find((line) => line.includes("quick"))).toMatch(/^ {2}quick \(current\) +The peers' top-ranked answer/);
  });
});
