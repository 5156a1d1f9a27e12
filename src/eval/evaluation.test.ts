import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOllama, quizModels, startFakeOllama } from "../../test-support/fake-ollama/index.js";
import { preset as testPreset } from "../council/test-helpers.js";
import type { Strategy } from "../council/preset.js";
import { createLlmRouter } from "../llm/router.js";
import { type EvaluationOptions, runEvaluation } from "./evaluation.js";
import type { EvalItem } from "./items.js";
import type { EvalReport } from "./report.js";

// End to end on the fake Ollama: members that answer a question file rightly with set,
// independent probabilities (seeded), through the real engine, router and HTTP.

const ACCURACY = { "quiz-a": 0.5, "quiz-b": 0.6, "quiz-c": 0.7, "quiz-chair": 0.75 };

/** Arithmetic and four-choice items, made up here; the fake only needs each question to be distinct. */
function quizItems(count: number): EvalItem[] {
  return Array.from({ length: count }, (_, index): EvalItem =>
    index % 2 === 0
      ? { id: `n${index}`, question: `Quiz item ${index}: how much is ${index} plus ${index * 3}?`, kind: "number", answer: index * 4 }
      : { id: `c${index}`, question: `Quiz item ${index}: which option is right?`, kind: "choice", choices: ["red", "green", "blue", "grey"], answer: index % 4 },
  );
}

const PRESET = testPreset({
  name: "quiz",
  members: [
    { name: "A", model: "quiz-a" },
    { name: "B", model: "quiz-b" },
    { name: "C", model: "quiz-c" },
  ],
  chairman: { model: "quiz-chair" },
  vote: { samples: 3, temperature: 0.7, selection: "plurality" },
});
const STRATEGIES: Strategy[] = ["synthesis", "best-of", "majority", "weighted", "vote"];

let fake: FakeOllama & { close(): Promise<void> };
let directory: string;
let items: EvalItem[];

beforeAll(async () => {
  items = quizItems(120);
  fake = await startFakeOllama({ models: quizModels({ items, accuracy: ACCURACY, seed: 7 }) });
  directory = await mkdtemp(join(tmpdir(), "council-eval-"));
});

afterAll(async () => {
  await fake?.close();
  await rm(directory, { recursive: true, force: true });
});

function options(run: string, overrides: Partial<EvaluationOptions> = {}): EvaluationOptions {
  const client = createLlmRouter({ urls: [fake.url] });
  return {
    run,
    path: join(directory, `${run}.jsonl`),
    data: "quiz.jsonl",
    items,
    preset: PRESET,
    strategies: STRATEGIES,
    members: client,
    chairman: client,
    seed: 1,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const entry = (report: EvalReport, name: string) => {
  const found = report.strategies.find((strategy) => strategy.name === name);
  if (!found) throw new Error(`no strategy ${name} in ${report.strategies.map((s) => s.name).join(", ")}`);
  return found;
};

describe("an evaluation on members of known accuracy", () => {
  it("recovers each member's accuracy within its interval, and the vote of independent better-than-chance members beats the best of them", async () => {
    const { report, stopped } = await runEvaluation(options("accuracy", { budgetSamples: 5 }));
    expect(stopped).toBe(false);
    expect(report.items).toBe(120);
    for (const [model, accuracy] of Object.entries(ACCURACY).filter(([model]) => model !== "quiz-chair")) {
      const member = entry(report, model);
      expect(member.kind).toBe("member");
      expect(member.interval[0]).toBeLessThanOrEqual(accuracy);
      expect(member.interval[1]).toBeGreaterThanOrEqual(accuracy);
    }
    expect(report.bestMember).toBe("quiz-c");
    const vote = report.comparisons.find((comparison) => comparison.a === "vote" && comparison.b === "quiz-c");
    expect(vote?.difference).toBeGreaterThan(0);
    expect(vote?.interval[0]).toBeGreaterThan(0);
    expect(vote?.pValue).toBeLessThan(0.01);
    // Every kind is there, with costs: the vote spends more than one member, less than synthesis.
    expect(report.strategies.map((strategy) => strategy.kind).sort()).toEqual(["budget-vote", "council", "council", "council", "council", "council", "majority", "member", "member", "member"]);
    expect(entry(report, "quiz-c ×5").tokensPerItem).toBeGreaterThan(entry(report, "quiz-c").tokensPerItem * 4);
    expect(entry(report, "vote").tokensPerItem).toBeGreaterThan(entry(report, "majority").tokensPerItem);
    expect(entry(report, "synthesis").tokensPerItem).toBeGreaterThan(entry(report, "best-of").tokensPerItem);
    expect(report.comparisons.find((comparison) => comparison.a === "synthesis" && comparison.b === "quiz-c ×5")).toBeDefined();
  });
});

describe("the strategies of one item", () => {
  it("share stage 1 and the review: each member answers once plus the vote's extra samples, and reviews once", async () => {
    const before = fake.requests.length;
    await runEvaluation(options("shared", { items: items.slice(0, 2), budgetSamples: 1 }));
    const made = fake.requests.slice(before).filter((request) => request.path === "/api/chat" && request.model !== "quiz-chair");
    const answers = made.filter((request) => request.format === undefined);
    const reviews = made.filter((request) => request.format !== undefined);
    // 2 items × 3 members × 3 samples (the first shared by every strategy); the budget vote of 1 sample is the shared first answer.
    expect(answers).toHaveLength(18);
    expect(reviews).toHaveLength(6);
  });
});

describe("a stopped run", () => {
  it("continues where it stopped and gives the figures an uninterrupted run gives", async () => {
    const few = { items: items.slice(0, 16) };
    const whole = await runEvaluation(options("whole", few));

    const stop = new AbortController();
    const stoppedRun = await runEvaluation(
      options("resumed", {
        ...few,
        signal: stop.signal,
        onProgress: (progress) => {
          // Stopped in the middle of the sixth item: its calls are cut, and it is not written.
          if (progress.kind === "item" && progress.done === 5) {
            const seen = fake.requests.length;
            void fake.waitForRequest((request) => request.id > seen + 2, 20_000).then(() => stop.abort());
          }
        },
      }),
    );
    expect(stoppedRun.stopped).toBe(true);
    expect(stoppedRun.report.items).toBe(5);
    const lines = (await readFile(stoppedRun.path, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(6);

    const progress: unknown[] = [];
    const resumed = await runEvaluation(options("resumed", { ...few, onProgress: (event) => progress.push(event) }));
    expect(progress[0]).toMatchObject({ kind: "resumed", done: 5, of: 16 });
    expect(resumed.stopped).toBe(false);
    // Seconds are as Ollama timed each call, which no two runs share; everything else is equal.
    const withoutTime = (report: EvalReport) => ({ ...report, strategies: report.strategies.map(({ secondsPerItem: _s, ...rest }) => rest) });
    expect(withoutTime(resumed.report)).toEqual(withoutTime(whole.report));
    expect(resumed.report.budget).toBeDefined();
  });

  it("refuses to continue a run with other options, naming them", async () => {
    await expect(runEvaluation(options("whole", { items: items.slice(0, 16), strategies: ["vote"] }))).rejects.toThrow(/was started with another --strategies; continue it with the same options, or start another with --run NEW_NAME/);
  });
});
