import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPresets } from "./presets.js";

// What a newcomer copies from the README must match what the project ships: the `ollama pull`
// lines pull exactly the models of a shipped preset, and the licence is the one package.json names.

const ROOT = new URL("..", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");

/** The models of each `ollama pull … && ollama pull …` line of the README, line by line. */
function pullLines(readme: string): string[][] {
  return readme
    .split("\n")
    .filter((line) => line.startsWith("ollama pull "))
    .map((line) => [...line.matchAll(/ollama pull (\S+)/g)].map((match) => match[1] ?? ""));
}

const SHIPPED = "config/presets.json";
const SMALL = "config/presets-small.json";

function modelsOf(file: string, name?: string): string[] {
  const preset = loadPresets(new URL(file, ROOT).pathname).get(name);
  // Only the synthesis strategy calls the chairman, but every shipped preset's chairman is worth pulling.
  return [...new Set([...preset.members.map((member) => member.model), preset.chairman.model])].sort();
}

describe("the README's quick start", () => {
  it("pulls exactly the models of the default preset, and of the small preset for a first try", () => {
    const lines = pullLines(read("README.md")).map((models) => [...models].sort());
    expect(lines).toContainEqual(modelsOf(SHIPPED));
    expect(lines).toContainEqual(modelsOf(SMALL));
  });

  it("ships presets that all use the default preset's models, so pulling those makes every check of npm run doctor pass", () => {
    const catalog = loadPresets(new URL(SHIPPED, ROOT).pathname);
    for (const name of catalog.names) expect(modelsOf(SHIPPED, name).every((model) => modelsOf(SHIPPED).includes(model)), name).toBe(true);
  });

  it("gives the download size of every model it pulls", () => {
    const readme = read("README.md");
    for (const model of [...modelsOf(SHIPPED), ...modelsOf(SMALL)]) {
      expect(readme, model).toMatch(new RegExp(`${model.replace(/[.]/g, "\\.")}\\s+\\(\\d+(\\.\\d)? [GM]B\\)`));
    }
  });

  it("has a small preset of models around 1B, the chairman one of them", () => {
    const small = loadPresets(new URL(SMALL, ROOT).pathname).get();
    expect(small.members.length).toBeGreaterThanOrEqual(2);
    expect(modelsOf(SMALL)).toEqual(["gemma3:1b", "llama3.2:1b", "qwen2.5:1.5b"]);
  });
});

describe("LICENSE", () => {
  it("is the MIT licence package.json names, for the council authors", () => {
    const license = read("LICENSE");
    expect((JSON.parse(read("package.json")) as { license: string }).license).toBe("MIT");
    expect(license.split("\n")[0]).toBe("MIT License");
    expect(license).toContain("Copyright (c) 2026 the council authors");
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
