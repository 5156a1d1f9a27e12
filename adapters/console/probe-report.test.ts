import { describe, expect, it } from "vitest";
import type { ServerProbe } from "../../src/core.js";
import type { Preset } from "../../src/council/preset.js";
import { noWorkerReachable, presetLines, probeLines, unreachableLines } from "./probe-report.js";

const worker: ServerProbe = { url: "http://pc2:8001", role: "members", reachable: true, models: ["llama3.2:3b", "qwen2.5:latest"] };
const chairman: ServerProbe = { url: "http://127.0.0.1:11434", role: "chairman", reachable: true, models: ["llama3.1:8b"] };
const down = (server: ServerProbe): ServerProbe => ({ ...server, reachable: false, models: [], error: "connection refused" });

const preset = {
  name: "balanced",
  members: [
    { name: "Llama", model: "llama3.2:3b" },
    { name: "Qwen", model: "Qwen2.5" },
    { name: "Gemma", model: "gemma2:2b" },
  ],
  chairman: { model: "llama3.1:8b" },
  strategy: "synthesis",
  review: "ranking",
  debateRounds: 1,
} as Preset;

describe("probe report", () => {
  it("lists each server with its role and models, or why it did not answer", () => {
    expect(probeLines([worker, down(chairman)])).toEqual(["  ✓ worker http://pc2:8001 · 2 models", "  ✗ chairman http://127.0.0.1:11434 · connection refused"]);
  });

  it("stops only when no worker answers: without the chairman the council still gives the top-ranked answer", () => {
    expect(noWorkerReachable([down(worker), chairman])).toBe(true);
    expect(noWorkerReachable([worker, down(worker), down(chairman)])).toBe(false);
    expect(unreachableLines([worker, chairman])).toEqual([]);
    expect(unreachableLines([worker, down(chairman)])[1]).toBe("  ✗ chairman http://127.0.0.1:11434 · connection refused");
  });

  it("marks each model of the preset as there, missing with the command to pull it, or unknown", () => {
    expect(presetLines(preset, [worker, chairman])).toEqual([
      'Preset "balanced" (synthesis, ranking review, 1 debate round)',
      "  Llama · llama3.2:3b ✓",
      "  Qwen · Qwen2.5 ✓",
      "  Gemma · gemma2:2b ✗ not installed: run `ollama pull gemma2:2b` on the worker's machine",
      "  chairman · llama3.1:8b ✓",
    ]);
    expect(presetLines(preset, [worker, down(chairman)]).at(-1)).toBe("  chairman · llama3.1:8b ? (its server did not answer)");
  });
});
