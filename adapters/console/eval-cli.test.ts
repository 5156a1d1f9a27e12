import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePresets } from "../../config/presets.js";
import { readItems } from "../../src/eval/read-items.js";
import { createLlmRouter } from "../../src/llm/router.js";
import { type FakeOllama, quizModels, startFakeOllama } from "../../test-support/fake-ollama/index.js";
import { EVAL_EXIT, runEval } from "./eval-cli.js";

// The command on the shipped sample questions, against the fake Ollama's quiz models.

const DATA = "eval/sample.jsonl";
let fake: FakeOllama & { close(): Promise<void> };
let dir: string;

beforeAll(async () => {
  const { items } = await readItems(DATA);
  fake = await startFakeOllama({ models: { ...quizModels({ items, accuracy: { "q-a": 0.6, "q-b": 0.7, "q-chair": 0.8 } }), "q-down": { fault: { kind: "http-error", status: 500, message: "llama runner process has terminated" } } } });
  dir = await mkdtemp(join(tmpdir(), "council-eval-cli-"));
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

const presets = parsePresets(
  {
    default: "pair",
    presets: {
      pair: { members: [{ name: "A", model: "q-a" }, { name: "B", model: "q-b" }], chairman: "q-chair" },
      down: { members: [{ name: "X", model: "q-down" }, { name: "Y", model: "q-down" }], chairman: "q-chair" },
    },
  },
  "test",
);

async function evaluate(argv: string[], signal = new AbortController().signal) {
  let out = "";
  let err = "";
  const code = await runEval(["--results", dir, ...argv], {
    write: (text) => (out += text),
    error: (text) => (err += `${text}\n`),
    signal,
    settings: () => ({ presets, members: createLlmRouter({ urls: [fake.url] }), chairman: createLlmRouter({ urls: [fake.url] }) }),
  });
  return { code, out, err };
}

describe("npm run eval", () => {
  it("prints the table and the comparisons, and --json gives the figures in the documented shape", async () => {
    const table = await evaluate(["--data", DATA, "--limit", "8", "--strategies", "vote,best-of", "--budget-k", "3", "--chart", join(dir, "eval.png")]);
    expect(table.code).toBe(EVAL_EXIT.done);
    expect(table.out).toMatch(/^Preset pair, 8 items; best member alone: q-[ab]$/m);
    expect(table.out).toMatch(/^vote\s+council\s+\d+\.\d% \(\d\/8\)\s+\d+\.\d%–\d+\.\d%\s+[\d,]+\s+\d+\.\d\d$/m);
    expect(table.out).toMatch(/^q-a\s+member\s/m);
    expect(table.out).toMatch(/^members' majority\s+majority\s/m);
    expect(table.out).toMatch(/^q-[ab] ×3\s+budget-vote\s/m);
    expect(table.out).toMatch(/^vote\s+members' majority\s+[−+]\d+\.\d\s/m);
    expect(table.err).toContain(`results in ${join(dir, "sample-pair.jsonl")}`);
    expect(table.err).toContain(`Chart written to ${join(dir, "eval.png")}.`);
    const png = await readFile(join(dir, "eval.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");

    // The same run again: everything is in the run file, so nothing is asked of the models.
    const asked = fake.requests.length;
    const json = await evaluate(["--data", DATA, "--limit", "8", "--strategies", "vote,best-of", "--budget-k", "3", "--json"]);
    expect(fake.requests.length).toBe(asked);
    expect(json.err).toContain("8 of 8 items already done");
    const report = JSON.parse(json.out);
    expect(report.items).toBe(8);
    expect(report.strategies.map((one: { name: string; kind: string }) => `${one.name}/${one.kind}`)).toEqual([
      "vote/council",
      "best-of/council",
      "q-a/member",
      "q-b/member",
      "members' majority/majority",
      expect.stringMatching(/^q-[ab] ×3\/budget-vote$/),
    ]);
    for (const one of report.strategies) expect(Object.keys(one)).toEqual(expect.arrayContaining(["name", "kind", "accuracy", "interval", "tokensPerItem", "secondsPerItem"]));
    for (const one of report.comparisons) expect(Object.keys(one)).toEqual(expect.arrayContaining(["a", "b", "difference", "interval", "pValue"]));
  });

  it("stops at once when cancelled, keeping what was done, and says how to continue", async () => {
    const stop = new AbortController();
    stop.abort();
    const { code, err } = await evaluate(["--data", DATA, "--limit", "2", "--run", "cancelled"], stop.signal);
    expect(code).toBe(EVAL_EXIT.stopped);
    expect(err).toContain("Stopped after 0 items; the figures above are for those. Run the same command again to continue.");
  });

  it("stops without scoring an item on which every member failed", async () => {
    const { code, err } = await evaluate(["--data", DATA, "--preset", "down", "--limit", "2"]);
    expect(code).toBe(EVAL_EXIT.failed);
    expect(err).toMatch(/The run stopped: item math-bakery-trays: every member failed: .*llama runner process has terminated.*Nothing was recorded for that item/);
    const file = await readFile(join(dir, "sample-down.jsonl"), "utf8");
    expect(file.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [[], /--data is missing: give the question file, e.g. --data eval\/sample.jsonl/],
    [["--data", DATA, "--strategies", "vote,debate"], /--strategies: "debate" is not synthesis, best-of, majority, weighted, vote/],
    [["--data", DATA, "--limit", "0"], /--limit "0" must be a whole number from 1/],
    [["--data", DATA, "--chart", "eval.svg"], /--chart "eval.svg": give a file name ending in .png/],
    [["--data", DATA, "--run", "../x"], /--run "..\/x": use letters, digits/],
    [["--data", DATA, "--format", "csv"], /--format "csv" is not one of items, gsm8k, arc/],
    [["--data", "no-such.jsonl"], /cannot read the question file no-such.jsonl \(ENOENT\)/],
    [["--data", DATA, "--preset", "nope"], /There is no preset "nope"/],
    [["--data", DATA, "--bogus"], /Unknown option '--bogus'/],
  ])("refuses %j with what to do, exit 2", async (argv, message) => {
    const { code, err } = await evaluate(argv);
    expect(code).toBe(EVAL_EXIT.badInput);
    expect(err).toMatch(message);
  });

  it("names the line of a bad question file", async () => {
    const bad = join(dir, "bad.jsonl");
    await writeFile(bad, '{"id":"a","question":"?","answer":1,"kind":"number"}\n{"id":"b","question":"?","answer":"x","kind":"number"}\n');
    const { code, err } = await evaluate(["--data", bad]);
    expect(code).toBe(EVAL_EXIT.badInput);
    expect(err).toContain(`${bad}, line 2: answer "x" is not a number`);
  });
});

describe("the sample questions", () => {
  it("hold at least 60 items of both kinds, each readable", async () => {
    const { items, format } = await readItems(DATA);
    expect(format).toBe("items");
    expect(items.length).toBeGreaterThanOrEqual(60);
    expect(items.filter((item) => item.kind === "number").length).toBeGreaterThanOrEqual(30);
    expect(items.filter((item) => item.kind === "choice").length).toBeGreaterThanOrEqual(30);
  });
});
