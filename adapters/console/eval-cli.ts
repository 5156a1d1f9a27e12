import { basename, extname, join } from "node:path";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ConfigError } from "../../config/index.js";
import type { PresetCatalog } from "../../config/presets.js";
import type { Strategy } from "../../src/council/preset.js";
import { type EvaluationOutcome, type Progress, runEvaluation } from "../../src/eval/evaluation.js";
import { ITEM_FORMATS, type ItemFormat } from "../../src/eval/importers.js";
import { COUNCIL_STRATEGIES, ItemFailedError } from "../../src/eval/item-runner.js";
import { EvalDataError } from "../../src/eval/items.js";
import { readItems } from "../../src/eval/read-items.js";
import { reportLines } from "../../src/eval/report-table.js";
import { RunFileError } from "../../src/eval/run-file.js";
import { renderAccuracyCost } from "../../src/insights/charts/accuracy-cost.js";
import type { LlmClient } from "../../src/llm/port.js";

// `npm run eval -- --data FILE.jsonl [...]`: does the council beat its best member on these
// models and questions? Every strategy and every member alone on each item, then the table (or
// every figure as JSON, and the chart as a PNG). Results go to a run file as each item ends, so
// Ctrl-C stops cleanly and the same command continues. Exit 0 when done, 2 on bad input,
// 1 when the run could not go on (every member failed on an item), 130 when stopped.

export const EVAL_USAGE = `Usage: npm run eval -- --data FILE.jsonl [--format ${ITEM_FORMATS.join("|")}] [--preset NAME] [--limit N] [--strategies ${COUNCIL_STRATEGIES.join(",")}] [--run NAME] [--results DIR] [--budget-k N] [--seed N] [--json] [--chart FILE.png]`;

export const EVAL_EXIT = { done: 0, failed: 1, badInput: 2, stopped: 130 } as const;

export const DEFAULT_RESULTS_DIR = "eval-results";

export interface EvalIo {
  write(text: string): void;
  error(text: string): void;
  /** What the run needs, read only once the arguments are valid. May throw ConfigError. */
  settings(): { presets: Pick<PresetCatalog, "get">; members: LlmClient; chairman: LlmClient };
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
}

class EvalInputError extends Error {
  override readonly name = "EvalInputError";
  readonly kind = "eval-input";
}

interface EvalArgs {
  data: string;
  format?: ItemFormat;
  preset?: string;
  limit?: number;
  strategies: Strategy[];
  run?: string;
  results: string;
  budgetK?: number;
  seed: number;
  json: boolean;
  chart?: string;
  help: boolean;
}

const HELP = `${EVAL_USAGE}

--data        the questions: JSON Lines of {"id", "question", "answer", "kind"} (kind number, choice with
              "choices", exact or regex), or GSM8K or ARC lines as published (see README.md)
--format      read the file as this format instead of guessing it from its first line
--preset      the council to evaluate (default: COUNCIL_PRESET, or the presets file's default)
--limit       only the first N items
--strategies  the council strategies to run on every item (default: all of them)
--run         the run's name (default: <data file>-<preset>); the same name continues a stopped run
--results     where run files go (default: ${DEFAULT_RESULTS_DIR}/)
--budget-k    answers of the best member in the equal-budget vote (default: matched to the council's tokens)
--seed        seeds the review order and the bootstrap (default 1)
--json        every figure as one JSON object on stdout
--chart       also write accuracy against tokens per item to this PNG file
`;

export async function runEval(argv: readonly string[], io: EvalIo): Promise<number> {
  let args: EvalArgs;
  try {
    args = parse(argv);
  } catch (error) {
    io.error(`${(error as Error).message}\n${EVAL_USAGE}`);
    return EVAL_EXIT.badInput;
  }
  if (args.help) {
    io.write(HELP);
    return EVAL_EXIT.done;
  }
  let outcome: EvaluationOutcome;
  try {
    const { items } = await readItems(args.data, args.format);
    const chosen = args.limit === undefined ? items : items.slice(0, args.limit);
    const { presets, members, chairman } = io.settings();
    const preset = presets.get(args.preset);
    const run = args.run ?? `${basename(args.data, extname(args.data))}-${preset.name}`;
    io.error(`Evaluating preset ${preset.name} on ${chosen.length} item${chosen.length === 1 ? "" : "s"} of ${args.data} (strategies ${args.strategies.join(", ")}); results in ${join(args.results, `${run}.jsonl`)}. Ctrl-C stops; the same command continues.`);
    outcome = await runEvaluation({
      run,
      path: join(args.results, `${run}.jsonl`),
      data: args.data,
      items: chosen,
      preset,
      strategies: args.strategies,
      members,
      chairman,
      seed: args.seed,
      ...(args.budgetK !== undefined && { budgetSamples: args.budgetK }),
      signal: io.signal,
      onProgress: (progress) => io.error(progressLine(progress)),
    });
  } catch (error) {
    if (error instanceof EvalDataError || error instanceof ConfigError || error instanceof RunFileError) {
      io.error(error.message);
      return EVAL_EXIT.badInput;
    }
    if (error instanceof ItemFailedError) {
      io.error(`The run stopped: ${error.message}. Nothing was recorded for that item; fix it (npm run doctor checks the servers and models) and run the same command again to continue.`);
      return EVAL_EXIT.failed;
    }
    throw error;
  }

  const { report } = outcome;
  if (args.json) io.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.write(`${reportLines(report).join("\n")}\n`);
  if (outcome.stopped) io.error(`Stopped after ${report.items} item${report.items === 1 ? "" : "s"}; the figures above are for those. Run the same command again to continue.`);
  if (args.chart !== undefined && report.items > 0) {
    try {
      // A strategy that never spent a token (every call of it failed) has no place on a log scale.
      const drawn = report.strategies.filter((one) => one.tokensPerItem > 0);
      await writeFile(args.chart, await renderAccuracyCost(drawn, `Preset ${report.preset}: accuracy against tokens, ${report.items} items`));
      io.error(`Chart written to ${args.chart}.`);
    } catch (error) {
      io.error(`The chart could not be written to ${args.chart}: ${(error as Error).message}`);
      return EVAL_EXIT.badInput;
    }
  }
  return outcome.stopped ? EVAL_EXIT.stopped : EVAL_EXIT.done;
}

function progressLine(progress: Progress): string {
  switch (progress.kind) {
    case "resumed":
      return `Continuing ${progress.path}: ${progress.done} of ${progress.of} items already done.`;
    case "budget":
      return `Equal budget: the best member sampled ${progress.choice.k} times and voted, to match ${progress.choice.matches}.`;
    case "item":
      return `${progress.pass === "budget" ? "equal budget " : ""}${progress.done}/${progress.of} ${progress.id}`;
  }
}

function parse(argv: readonly string[]): EvalArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: "string" },
        format: { type: "string" },
        preset: { type: "string" },
        limit: { type: "string" },
        strategies: { type: "string" },
        run: { type: "string" },
        results: { type: "string", default: DEFAULT_RESULTS_DIR },
        "budget-k": { type: "string" },
        seed: { type: "string", default: "1" },
        json: { type: "boolean", default: false },
        chart: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new EvalInputError((error as Error).message.replace(/\.?$/, "."));
  }
  if (values.help) return { data: "", strategies: [], results: DEFAULT_RESULTS_DIR, seed: 1, json: false, help: true };
  if (!values.data?.trim()) throw new EvalInputError("--data is missing: give the question file, e.g. --data eval/sample.jsonl.");
  const format = values.format;
  if (format !== undefined && !ITEM_FORMATS.includes(format as ItemFormat)) throw new EvalInputError(`--format "${format}" is not one of ${ITEM_FORMATS.join(", ")}.`);
  const strategies = values.strategies === undefined ? [...COUNCIL_STRATEGIES] : [...new Set(values.strategies.split(",").map((name) => name.trim()).filter(Boolean))];
  const unknown = strategies.filter((name) => !COUNCIL_STRATEGIES.includes(name as Strategy));
  if (unknown.length > 0 || strategies.length === 0) throw new EvalInputError(`--strategies: ${unknown.length > 0 ? `"${unknown.join('", "')}" ${unknown.length === 1 ? "is" : "are"} not` : "name at least one of"} ${COUNCIL_STRATEGIES.join(", ")}.`);
  const run = values.run?.trim();
  if (run !== undefined && !/^[\w.-]{1,100}$/.test(run)) throw new EvalInputError(`--run "${run}": use letters, digits, dots, dashes and underscores only (it names a file).`);
  if (values.chart !== undefined && !values.chart.trim().toLowerCase().endsWith(".png")) throw new EvalInputError(`--chart ${JSON.stringify(values.chart)}: give a file name ending in .png, e.g. --chart eval.png.`);
  return {
    data: values.data.trim(),
    ...(format !== undefined && { format: format as ItemFormat }),
    ...(values.preset?.trim() && { preset: values.preset.trim() }),
    ...(values.limit !== undefined && { limit: whole("--limit", values.limit, 1) }),
    strategies: strategies as Strategy[],
    ...(run && { run }),
    results: values.results,
    ...(values["budget-k"] !== undefined && { budgetK: whole("--budget-k", values["budget-k"], 1) }),
    seed: whole("--seed", values.seed, 0),
    json: values.json,
    ...(values.chart !== undefined && { chart: values.chart }),
    help: false,
  };
}

function whole(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > 1_000_000) throw new EvalInputError(`${option} "${text}" must be a whole number from ${min}.`);
  return value;
}
