import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { ReviewMode } from "../src/council/preset.js";
import { CHAIRMAN_MODEL, CHAIRMAN_RATES, DECODE_TOKENS_PER_SECOND, MAX_MEMBERS, PREFILL_TOKENS_PER_SECOND, type Profile, PROFILES } from "./council-fakes.js";
import {
  COLD_LOAD_MS,
  COLD_MEMBERS,
  COLD_REVIEW,
  type ColdFigures,
  type GroupResult,
  type GroupSpec,
  MEMBER_COUNTS,
  type RowFigures,
  RUNS,
  runGroup,
} from "./council-groups.js";
import { printPromptParts } from "./council-prompt-parts.js";
import type { CouncilFigures } from "./council-run.js";
import { printTable } from "./stats.js";

// The council's wall time against the critical-path lower bound of its model time, on two
// fake Ollamas with a timing model (members on one, as on PC2; the chairman on another, as on
// PC1), for 3, 5 and 8 members, 4 slots per model and 1, ranking and pairwise reviews; the
// same calls replayed as a naive stage-barrier schedule; tokens and model loads per council;
// and what a cold load costs the first council, with and without preloading at start.
// Figures, not assertions: see bench/council-bound.ts for the bound.
//
// The groups (profile x ranking and pairwise x 4 and 1 slots, and the cold loads) are
// independent and each runs in a worker thread of its own (own fakes, clients, engine, event
// loop), a profile's groups side by side, to keep the run short; `--sequential` runs them one
// after another in this thread.
//
// The headline figures of each profile are printed beside the ones saved in TODAY_FILE, the
// figures of the engine before the chairman read its prompt ahead (commit 3f3b629's engine and
// prompts, with this benchmark and fake), so every change since shows against the same run;
// `--save FILE` writes this run's figures in that format.

const SLOT_COUNTS = [4, 1] as const;
const TODAY_FILE = new URL("./council-today.json", import.meta.url);

/** One row's medians, as saved and compared. */
interface Headline {
  profile: Profile;
  review: ReviewMode;
  members: number;
  slots: number;
  wallMs: number;
  boundMs: number;
  chairFirstTokenMs: number;
  evaluatedPromptTokens: number;
  chairmanEvaluatedTokens: number;
}
const REVIEW_MODES: readonly ReviewMode[] = ["ranking", "pairwise"];

/** karpathy/llm-council and the seed project on the same fake conditions, in seconds. */
const ANCHORS: Record<number, { karpathy: number; seed: number }> = {
  3: { karpathy: 3.77, seed: 2.15 },
  5: { karpathy: 4.52, seed: 2.35 },
  8: { karpathy: 5.61, seed: 2.8 },
};

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (value: number) => `${value.toFixed(3)}x`;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Runs a group in a worker thread of its own; tsx's loader is registered there first. */
function inWorker(spec: GroupSpec): Promise<GroupResult> {
  const entry = new URL("./council-groups.ts", import.meta.url).href;
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: spec });
    let result: GroupResult | undefined;
    worker.once("message", (message: GroupResult) => (result = message));
    worker.once("error", reject);
    worker.once("exit", (code) => (result ? resolve(result) : reject(new Error(`the ${JSON.stringify(spec)} worker exited with ${code} and no result`))));
  });
}

function printRows(rows: readonly RowFigures[]): void {
  for (const review of REVIEW_MODES) {
    const mine = rows.filter((row) => row.review === review).sort((a, b) => a.members - b.members || b.slots - a.slots);
    console.log(`\n## review: ${review} (strategy synthesis; median of ${RUNS} councils per row)\n`);
    printTable(
      ["members", "slots", "council wall", "LB", "bound by", "ratio", "naive wall", "naive ratio", "calls", "tokens (prompt + completion)", "loads", "reloads"],
      mine.map((row) => {
        const wall = median(row.councils.map((council) => council.wallMs));
        const bound = median(row.councils.map((council) => council.boundMs));
        const naive = median(row.naiveMs);
        const usage = row.councils[0] as CouncilFigures;
        const pathBound = median(row.councils.map((council) => council.pathMs));
        return [
          String(row.members),
          String(row.slots),
          seconds(wall),
          seconds(bound),
          pathBound >= bound - 0.5 ? "path" : "slots",
          ratio(wall / bound),
          seconds(naive),
          ratio(naive / bound),
          String(usage.calls),
          `${usage.totalTokens} (${usage.promptTokens} + ${usage.completionTokens})`,
          String(sum(row.councils.map((council) => council.loads))),
          String(sum(row.councils.map((council) => council.reloads))),
        ];
      }),
    );
    console.log("\nwhere the wall time above the bound goes (medians, ms; the fakes share the engine's thread, so a gap includes their own work on the request):\n");
    printTable(
      ["members", "slots", "wall - LB", "start to last answer sent", "inputs done to review sent (worst)", "reviews done to chairman sent", "chairman done to finished", "worst wait for a slot"],
      mine.map((row) => {
        const m = (pick: (council: CouncilFigures) => number) => median(row.councils.map(pick)).toFixed(1);
        return [
          String(row.members),
          String(row.slots),
          m((council) => council.wallMs - council.boundMs),
          m((council) => council.gaps.toAnswersMs),
          m((council) => council.gaps.toReviewMs),
          m((council) => council.gaps.toChairmanMs),
          m((council) => council.gaps.toFinishMs),
          m((council) => council.gaps.maxQueueMs),
        ];
      }),
    );
  }
}

function headlines(rows: readonly RowFigures[]): Headline[] {
  return rows.map((row) => {
    const m = (pick: (council: CouncilFigures) => number) => median(row.councils.map(pick));
    return {
      profile: row.profile,
      review: row.review,
      members: row.members,
      slots: row.slots,
      wallMs: m((council) => council.wallMs),
      boundMs: m((council) => council.boundMs),
      chairFirstTokenMs: m((council) => council.chairFirstTokenMs),
      evaluatedPromptTokens: m((council) => council.evaluatedPromptTokens),
      chairmanEvaluatedTokens: m((council) => council.chairmanEvaluatedTokens),
    };
  });
}

function printHeadlines(now: readonly Headline[], today: readonly Headline[]): void {
  const change = (before: number | undefined, after: number) => (before === undefined ? "-" : `${(((after - before) / before) * 100).toFixed(0)}%`);
  for (const profile of PROFILES) {
    const rates = CHAIRMAN_RATES[profile];
    for (const review of REVIEW_MODES) {
      const mine = now.filter((row) => row.profile === profile && row.review === review).sort((a, b) => a.members - b.members || b.slots - a.slots);
      if (mine.length === 0) continue;
      console.log(
        `\n## ${profile} profile (chairman ${rates.prefillTokensPerSecond} tok/s prefill, ${rates.decodeTokensPerSecond} tok/s decode), review: ${review}; today = ${today.length > 0 ? "bench/council-today.json" : "not saved"} (median of ${RUNS})\n`,
      );
      printTable(
        ["members", "slots", "wall today", "wall now", "change", "LB now", "wall/LB today", "wall/LB now", "chair 1st token today", "now", "change", "prompt tokens evaluated today", "now", "chairman's today", "now"],
        mine.map((row) => {
          const before = today.find((old) => old.profile === row.profile && old.review === row.review && old.members === row.members && old.slots === row.slots);
          return [
            String(row.members),
            String(row.slots),
            before ? seconds(before.wallMs) : "-",
            seconds(row.wallMs),
            change(before?.wallMs, row.wallMs),
            seconds(row.boundMs),
            before ? ratio(before.wallMs / before.boundMs) : "-",
            ratio(row.wallMs / row.boundMs),
            before ? seconds(before.chairFirstTokenMs) : "-",
            seconds(row.chairFirstTokenMs),
            change(before?.chairFirstTokenMs, row.chairFirstTokenMs),
            before ? String(before.evaluatedPromptTokens) : "-",
            String(row.evaluatedPromptTokens),
            before ? String(before.chairmanEvaluatedTokens) : "-",
            String(row.chairmanEvaluatedTokens),
          ];
        }),
      );
    }
  }
}

function printAnchors(rows: readonly RowFigures[]): void {
  const wallOf = (review: ReviewMode, members: number) => {
    const row = rows.find((candidate) => candidate.review === review && candidate.members === members && candidate.slots === 4);
    return row ? seconds(median(row.councils.map((council) => council.wallMs))) : "-";
  };
  const boundOf = (review: ReviewMode, members: number) => {
    const row = rows.find((candidate) => candidate.review === review && candidate.members === members && candidate.slots === 4);
    return row ? seconds(median(row.councils.map((council) => council.boundMs))) : "-";
  };
  console.log("\n## against the anchors (same fake conditions; ours with 4 slots per model)\n");
  printTable(
    ["members", "karpathy/llm-council", "seed (pairwise, 3-token reviews)", "ours ranking", "(its LB)", "ours pairwise", "(its LB)"],
    MEMBER_COUNTS.map((members) => [
      String(members),
      seconds((ANCHORS[members]?.karpathy ?? Number.NaN) * 1000),
      seconds((ANCHORS[members]?.seed ?? Number.NaN) * 1000),
      wallOf("ranking", members),
      boundOf("ranking", members),
      wallOf("pairwise", members),
      boundOf("pairwise", members),
    ]),
  );
  const reviewTokens = (review: ReviewMode, members: number) => {
    const row = rows.find((candidate) => candidate.review === review && candidate.members === members);
    const council = row?.councils[0];
    if (!council) return "-";
    const [least, most] = council.reviewTokens;
    return least === most ? String(least) : `${least}-${most}`;
  };
  console.log(
    `\nour ballots carry critiques: a ranking ballot is ${MEMBER_COUNTS.map((n) => `${reviewTokens("ranking", n)} tokens at ${n} members`).join(", ")}; ` +
      `a pairwise score is ${reviewTokens("pairwise", 3)} tokens (the seed's were 3).`,
  );
}

function printCold(runs: readonly ColdFigures[], rows: readonly RowFigures[]): void {
  const warmRow = rows.find((row) => row.review === COLD_REVIEW && row.members === COLD_MEMBERS && row.slots === 4);
  const warm = warmRow ? median(warmRow.councils.map((council) => council.wallMs)) : Number.NaN;
  const m = (pick: (run: ColdFigures) => number) => median(runs.map(pick));
  const noPreloadWall = m((run) => run.noPreload.wallMs);
  const loadOnPath = m((run) => run.noPreload.boundMs - run.noPreload.warmBoundMs);
  const paidLoads = m((run) => run.noPreload.paidLoads);
  console.log(
    `\n## cold load (loadMs ${COLD_LOAD_MS} on every member model and on ${CHAIRMAN_MODEL}; ${COLD_REVIEW}, ${COLD_MEMBERS} members, 4 slots; fresh fakes each time; median of ${RUNS})\n`,
  );
  console.log(
    `first council, no preload:   wall ${seconds(noPreloadWall)} (LB with loads ${seconds(m((run) => run.noPreload.boundMs))}, ` +
      `${seconds(loadOnPath)} of it load on the critical path; ${paidLoads} requests paid a load; ` +
      `warm figure ${seconds(warm)}, so the cold start cost ${seconds(noPreloadWall - warm)}); loads ${m((run) => run.noPreload.loads)}, reloads ${m((run) => run.noPreload.reloads)}`,
  );
  console.log(`engine.preload(preset) at start: ${seconds(m((run) => run.preloadMs))} for ${COLD_MEMBERS + 1} models in parallel`);
  const afterWall = m((run) => run.afterPreload.wallMs);
  console.log(
    `first council after preload: wall ${seconds(afterWall)} (LB ${seconds(m((run) => run.afterPreload.boundMs))}; warm figure ${seconds(warm)}, ratio ${ratio(afterWall / warm)}); ` +
      `loads during it ${m((run) => run.afterPreload.loads)}, reloads ${m((run) => run.afterPreload.reloads)}`,
  );
  const errors = runs.flatMap((run) => run.preloadErrors);
  if (errors.length > 0) console.log(`preload errors: ${errors.join("; ")}`);
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  console.log(
    `council benchmark: members on one fake Ollama (member-1:3b ... member-${MAX_MEMBERS}:3b, one model each), the chairman (${CHAIRMAN_MODEL}) on another; ` +
      `${DECODE_TOKENS_PER_SECOND} tok/s decode, ${PREFILL_TOKENS_PER_SECOND} tok/s prefill, 80-word answers and chairman answer, no load time; real clients over HTTP.`,
  );
  console.log(
    "LB = max(longest dependency path; per model, max over t of t + the busy time of its calls that cannot start before t " +
      "(>= their work / slots, >= the ceil(k / slots) shortest of the k in a row), plus the shortest chain that must follow), " +
      "each call's time from the fake's timing model (load + prompt / prefill + completion / decode).",
  );
  console.log("naive = the same requests replayed in three waves with a barrier between them: all answers, all reviews, the chairman.");
  const specs: GroupSpec[] = [
    ...PROFILES.flatMap((profile) => REVIEW_MODES.flatMap((review) => SLOT_COUNTS.map((slots): GroupSpec => ({ kind: "warm", profile, review, slots })))),
    { kind: "cold" },
  ];
  const results: GroupResult[] = [];
  if (process.argv.includes("--sequential")) for (const spec of specs) results.push(await runGroup(spec));
  else {
    // Profile by profile: the GPU profile's short councils are the ones a busy host skews, so
    // they do not share the cores with the CPU-chairman councils.
    for (const profile of PROFILES) {
      const phase = specs.filter((spec) => (spec.kind === "warm" ? spec.profile : "gpu") === profile);
      results.push(...(await Promise.all(phase.map(inWorker))));
    }
  }
  const allRows = results.flatMap((result) => (result.kind === "warm" ? result.rows : []));
  // The detailed tables and the anchors are the GPU profile's, as before.
  const rows = allRows.filter((row) => row.profile === "gpu");
  const cold = results.flatMap((result) => (result.kind === "cold" ? result.runs : []));
  printRows(rows);
  printAnchors(rows);
  printCold(cold, rows);
  const now = headlines(allRows);
  const today = existsSync(TODAY_FILE) ? (JSON.parse(readFileSync(TODAY_FILE, "utf8")) as Headline[]) : [];
  printHeadlines(now, today);
  printPromptParts();
  const saveAt = process.argv.indexOf("--save");
  const saveTo = saveAt === -1 ? undefined : process.argv[saveAt + 1];
  if (saveTo) writeFileSync(saveTo, `${JSON.stringify(now, null, 2)}\n`);

  const problems = [...allRows.flatMap((row) => row.councils), ...cold.flatMap((run) => [run.noPreload, run.afterPreload])].flatMap((council) => council.problems);
  const reloads = sum([...allRows.flatMap((row) => row.councils), ...cold.flatMap((run) => [run.noPreload, run.afterPreload])].map((council) => council.reloads));
  console.log(`\nreloads over every council: ${reloads} (must be 0)`);
  console.log(problems.length > 0 ? `problems:\n  ${[...new Set(problems)].join("\n  ")}` : "problems: none (every council completed, no warning, nothing cut, no ballot repaired)");
  console.log(`\nbenchmark took ${seconds(performance.now() - startedAt)}`);
}

await main();
