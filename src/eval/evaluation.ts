import { createHash } from "node:crypto";
import type { LlmClient } from "../llm/port.js";
import type { Preset, Strategy } from "../council/preset.js";
import { type ItemResult, type Reply, runBudgetVote, runItem } from "./item-runner.js";
import type { EvalItem } from "./items.js";
import { createReplayClient } from "./replay-client.js";
import { type BudgetChoice, buildReport, chooseBudget, type EvalReport } from "./report.js";
import { openRunFile, type RunHeader, type RunRecord } from "./run-file.js";

// A whole evaluation: every item through every strategy (pass 1), then, once all are in, the
// best member sampled k times at the council's token budget (pass 2). Each finished item is
// appended to the run file at once; a stopped run continues from the file, and the report is
// built from it.

export interface EvaluationOptions {
  run: string;
  /** The run file: <results dir>/<run>.jsonl. */
  path: string;
  data: string;
  items: readonly EvalItem[];
  preset: Preset;
  strategies: readonly Strategy[];
  members: LlmClient;
  chairman: LlmClient;
  seed: number;
  /** Samples of the equal-budget vote; default: matched to the council's tokens. */
  budgetSamples?: number;
  signal: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export type Progress =
  | { kind: "resumed"; done: number; of: number; path: string }
  | { kind: "item"; pass: "strategies" | "budget"; done: number; of: number; id: string }
  | { kind: "budget"; choice: BudgetChoice };

export interface EvaluationOutcome {
  report: EvalReport;
  /** Stopped before every item was in: the report covers the items done. */
  stopped: boolean;
  path: string;
}

export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationOutcome> {
  const header: RunHeader = {
    type: "run",
    version: 1,
    run: options.run,
    data: options.data,
    itemsHash: hash(options.items),
    preset: options.preset.name,
    presetHash: hash(options.preset),
    strategies: [...options.strategies],
    seed: options.seed,
  };
  const file = await openRunFile(options.path, header);
  const results = new Map<string, ItemResult>();
  const budgetReplies = new Map<string, Reply>();
  let choice: BudgetChoice | undefined;
  for (const record of file.records) collect(record);
  if (file.resumed) options.onProgress?.({ kind: "resumed", done: results.size, of: options.items.length, path: file.path });

  const deps = { preset: options.preset, members: createReplayClient(options.members), chairman: createReplayClient(options.chairman), seed: options.seed, signal: options.signal };
  const report = () =>
    buildReport({
      items: options.items,
      preset: options.preset,
      results: options.items.flatMap((item) => results.get(item.id) ?? []),
      ...(choice && budgetReplies.size === options.items.length && { budget: { choice, replies: budgetReplies } }),
      seed: options.seed,
    });
  const stopped = () => ({ report: report(), stopped: true, path: file.path });

  for (const item of options.items) {
    if (results.has(item.id)) continue;
    if (options.signal.aborted) return stopped();
    const result = await runItem(item, options.strategies, deps);
    // An item cut short by a stop is not written: it runs again, whole, when the run continues.
    if (options.signal.aborted) return stopped();
    await save({ type: "item", ...result });
    options.onProgress?.({ kind: "item", pass: "strategies", done: results.size, of: options.items.length, id: item.id });
  }

  if (!choice) {
    const chosen = chooseBudget(report(), options.preset, options.strategies);
    if (!chosen) return { report: report(), stopped: false, path: file.path };
    await save({ type: "budget", ...chosen, k: options.budgetSamples ?? chosen.k });
  }
  const budget = choice as BudgetChoice;
  options.onProgress?.({ kind: "budget", choice: budget });
  for (const item of options.items) {
    if (budgetReplies.has(item.id)) continue;
    if (options.signal.aborted) return stopped();
    const reply = await runBudgetVote(item, budget.member, budget.k, results.get(item.id)?.calls ?? [], deps);
    if (options.signal.aborted) return stopped();
    await save({ type: "budget-item", id: item.id, reply });
    options.onProgress?.({ kind: "item", pass: "budget", done: budgetReplies.size, of: options.items.length, id: item.id });
  }
  return { report: report(), stopped: false, path: file.path };

  async function save(record: RunRecord): Promise<void> {
    await file.append(record);
    collect(record);
  }

  function collect(record: RunRecord): void {
    if (record.type === "item") {
      const { type: _type, ...result } = record;
      results.set(result.id, result);
    } else if (record.type === "budget") choice = { member: record.member, k: record.k, matches: record.matches };
    else if (record.type === "budget-item") budgetReplies.set(record.id, record.reply);
  }
}

function hash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}
