import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePresets } from "../config/presets.js";
import { readItems } from "../src/eval/read-items.js";
import { createLlmRouter } from "../src/llm/router.js";
import { runEval } from "../adapters/console/eval-cli.js";
import { quizModels, startFakeOllama } from "../test-support/fake-ollama/index.js";

// `npm run bench:eval [-- --chart eval.png ...]`: `npm run eval` end to end on the fake Ollama,
// whose models answer eval/sample.jsonl rightly with set, independent probabilities (seeded)
// and judge each other's answers rightly as often. The figures are SIMULATED: they show the
// harness at work (intervals, paired comparisons, the equal-budget vote), not how any real
// model or strategy does. Extra arguments go to the eval command.

const DATA = "eval/sample.jsonl";
const ACCURACY = { "sim-llama:3b": 0.55, "sim-qwen:3b": 0.65, "sim-gemma:2b": 0.6, "sim-chair:8b": 0.75 };

const { items } = await readItems(DATA);
// A small model on a modest GPU, sped up tenfold so the run takes a minute, not ten.
const fake = await startFakeOllama({ models: quizModels({ items, accuracy: ACCURACY, seed: 2026, model: { decodeTokensPerSecond: 400, prefillTokensPerSecond: 4000, parallel: 4 } }) });
const results = await mkdtemp(join(tmpdir(), "council-bench-eval-"));
const presets = parsePresets(
  {
    default: "simulated",
    presets: {
      simulated: {
        description: "Three simulated members of known accuracy (55%, 65%, 60%) and a simulated chairman (75%).",
        members: [
          { name: "Llama", model: "sim-llama:3b" },
          { name: "Qwen", model: "sim-qwen:3b" },
          { name: "Gemma", model: "sim-gemma:2b" },
        ],
        chairman: "sim-chair:8b",
        vote: { samples: 3 },
      },
    },
  },
  "bench/eval.ts",
);
const stop = new AbortController();
process.on("SIGINT", () => stop.abort());
const startedAt = performance.now();
try {
  process.stderr.write(`SIMULATED: members answer rightly with probabilities ${JSON.stringify(ACCURACY)} (seed 2026) on the fake Ollama at ${fake.url}.\n`);
  const code = await runEval(["--data", DATA, "--results", results, ...process.argv.slice(2)], {
    write: (text) => process.stdout.write(text),
    error: (text) => process.stderr.write(`${text}\n`),
    signal: stop.signal,
    settings: () => ({ presets, members: createLlmRouter({ urls: [fake.url] }), chairman: createLlmRouter({ urls: [fake.url] }) }),
  });
  process.stderr.write(`bench:eval: ${items.length} items, ${fake.requests.length} requests to the fake Ollama in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; exit ${code}.\n`);
  process.exitCode = code;
} finally {
  await fake.close();
  await rm(results, { recursive: true, force: true });
}
