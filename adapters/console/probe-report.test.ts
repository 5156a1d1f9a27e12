import { describe, expect, it } from "vitest";
import type { ServerProbe } from "../../src/core.js";
import type { Preset } from "../../src/council/preset.js";
import { unreachableMessage } from "../../src/llm/errors.js";
import { missingModelLines, noWorkerReachable, presetLines, probeLines, unreachableLines } from "./probe-report.js";

const worker: ServerProbe = { url: "http://pc2:8001", role: "members", reachable: true, models: ["llama3.2:3b", "qwen2.5:latest"] };
const chairman: ServerProbe = { url: "http://127.0.0.1:11434", role: "chairman", reachable: true, models: ["llama3.1:8b"] };
const down = (server: ServerProbe, error = "connection refused"): ServerProbe => ({ ...server, reachable: false, models: [], error });

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
    expect(probeLines([worker, down(chairman)])).toEqual(["  ✓ members http://pc2:8001 · 2 models", "  ✗ chairman: connection refused"]);
  });

  it("reports a URL that serves the members and the chairman once (one machine, no Ollama running)", () => {
    const local = "http://127.0.0.1:11434";
    const why = unreachableMessage([local], "ECONNREFUSED", ["WORKER_URLS", "CHAIRMAN_URL"]);
    const found: ServerProbe[] = [down({ ...worker, url: local }, why), down(chairman, why)];
    expect(probeLines(found)).toEqual([`  ✗ members and chairman: ${why}`]);
    expect(probeLines([{ ...worker, url: local, models: ["a"] }, { ...chairman, models: ["a"] }])).toEqual([`  ✓ members and chairman ${local} · 1 model`]);
  });

  it("stops only when no worker answers: without the chairman the council still gives the top-ranked answer", () => {
    expect(noWorkerReachable([down(worker), chairman])).toBe(true);
    expect(noWorkerReachable([worker, down(worker), down(chairman)])).toBe(false);
    expect(unreachableLines([worker, chairman])).toEqual([]);
    expect(unreachableLines([worker, down(chairman)])[1]).toBe("  ✗ chairman: connection refused");
  });

  it("marks each model of the preset as there, or missing with the machine that must pull it", () => {
    expect(presetLines(preset, [worker, chairman])).toEqual([
      'Preset "balanced" (synthesis, ranking review, 1 debate round)',
      "  Llama · llama3.2:3b ✓",
      "  Qwen · Qwen2.5 ✓",
      "  Gemma · gemma2:2b ✗ model gemma2:2b is not installed at http://pc2:8001 (WORKER_URLS); run `ollama pull gemma2:2b` on that machine",
      "  chairman · llama3.1:8b ✓",
    ]);
  });

  it("does not mark the models of a server that did not answer, but says once that they were not checked", () => {
    expect(presetLines(preset, [worker, down(chairman)]).slice(-2)).toEqual(["  chairman · llama3.1:8b", "  (models not checked where their server did not answer)"]);
    const lines = presetLines(preset, [down(worker), down(chairman)]);
    expect(lines.filter((line) => line.includes("?") || line.includes("✗"))).toEqual([]);
    expect(lines.filter((line) => line.includes("not checked"))).toHaveLength(1);
  });
});

describe("missing models (npm run council checks them before it starts)", () => {
  it("names each missing model with the machine that must pull it: a worker of WORKER_URLS, or CHAIRMAN_URL's", () => {
    const typo = { ...preset, members: [...preset.members.slice(0, 2), { name: "Llama2", model: "llama3.2:3bb" }], chairman: { model: "mistral:7b" } };
    expect(missingModelLines(typo, [worker, chairman])).toEqual([
      "model llama3.2:3bb is not installed at http://pc2:8001 (WORKER_URLS); run `ollama pull llama3.2:3bb` on that machine (or did you mean llama3.2:3b?)",
      "model mistral:7b is not installed at http://127.0.0.1:11434 (CHAIRMAN_URL); run `ollama pull mistral:7b` on that machine",
    ]);
  });

  it("lists the workers when several answered, and checks each model once", () => {
    const other = { ...worker, url: "http://pc3:8001", models: [] };
    const twice = { ...preset, members: [{ name: "A", model: "gemma2:2b" }, { name: "B", model: "gemma2:2b" }] };
    expect(missingModelLines(twice, [worker, other, chairman])).toEqual([
      "model gemma2:2b is on none of WORKER_URLS (http://pc2:8001, http://pc3:8001); run `ollama pull gemma2:2b` on the machine of one of them",
    ]);
  });

  it("asks nothing of a chairman the strategy does not call, nor of servers that did not answer", () => {
    expect(missingModelLines({ ...preset, strategy: "best-of", chairman: { model: "nowhere" } }, [worker, chairman])).toEqual([
      expect.stringContaining("gemma2:2b"),
    ]);
    expect(missingModelLines(preset, [down(worker), down(chairman)])).toEqual([]);
  });
});
