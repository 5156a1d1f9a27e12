// Models that take a quiz: each answers the items of a question file rightly with its own
// probability, and judges others' answers (a review ballot) rightly with the same probability,
// for the evaluation's end-to-end tests and benchmark. Every draw is seeded by the request
// itself (model, messages, options), so an identical request gets an identical reply, as from
// a seeded Ollama, whatever the order of the calls: a resumed run sees what an uninterrupted
// one saw. Members are independent: one model's luck says nothing about another's.
import { createHash } from "node:crypto";
import { grade } from "../../src/eval/grade.js";
import { type EvalItem, LETTERS } from "../../src/eval/items.js";
import { createSeededRandom } from "../../src/insights/seeded-random.js";
import type { FakeGenerationRequest, FakeModel } from "./model-script.js";

export interface QuizOptions {
  items: readonly EvalItem[];
  /** Model name -> probability (0 to 1) of a right answer, and of a right judgement in a review. */
  accuracy: Readonly<Record<string, number>>;
  seed?: number;
  /** Anything else every quiz model has (speeds, slots). */
  model?: Omit<FakeModel, "answer">;
}

/** The fake's models for `startFakeOllama({ models: quizModels(...) })`. Regex items are never answered rightly. */
export function quizModels(options: QuizOptions): Record<string, FakeModel> {
  const items = [...options.items].sort((a, b) => b.question.length - a.question.length);
  return Object.fromEntries(
    Object.entries(options.accuracy).map(([model, accuracy]) => [model, { ...options.model, answer: (request: FakeGenerationRequest) => reply(request, accuracy, items, options.seed ?? 1) }]),
  );
}

function reply(request: FakeGenerationRequest, accuracy: number, items: readonly EvalItem[], seed: number): string {
  const prompt = request.messages.map((message) => message.content).join("\n");
  // The longest question the prompt holds: a short question may be part of a longer one.
  const item = items.find((candidate) => prompt.includes(candidate.question));
  const random = createSeededRandom(
    createHash("sha256").update(JSON.stringify([seed, request.model, request.messages, request.options.seed ?? null, request.options.temperature ?? null])).digest().readUInt32BE(0),
  );
  if (request.format !== undefined) return ballot(request.format, prompt, item, random() < accuracy, random);
  if (!item) return "I cannot tell what is asked.";
  return random() < accuracy ? phrase(rightAnswer(item), random) : phrase(wrongAnswer(item, random), random);
}

function phrase(answer: string, random: () => number): string {
  const forms = [`Answer: ${answer}`, `Let me work through it step by step.\nAnswer: ${answer}`, `The answer is ${answer}.`];
  return forms[Math.floor(random() * forms.length)] ?? `Answer: ${answer}`;
}

function rightAnswer(item: EvalItem): string {
  switch (item.kind) {
    case "number":
      return String(item.answer);
    case "choice":
      return LETTERS[item.answer] ?? "A";
    case "exact":
      return item.answer;
    case "regex":
      return "(no idea)";
  }
}

/** Wrong answers spread over a few plausible ones, so that a plurality of independent members can still find the right one. */
function wrongAnswer(item: EvalItem, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  switch (item.kind) {
    case "number":
      return String(pick([item.answer + 1, item.answer - 1, item.answer + 2, item.answer + 10, item.answer * 2 + 1, item.answer - 10]));
    case "choice":
      return pick(LETTERS.slice(0, item.choices.length).split("").filter((_, index) => index !== item.answer));
    case "exact":
      return pick(["unsure", `${item.answer} or so`, "none of them"]);
    case "regex":
      return "(no idea)";
  }
}

/** A ballot for the schema sent: a reviewer that judges rightly puts the right answers first. */
function ballot(format: unknown, prompt: string, item: EvalItem | undefined, judgesRightly: boolean, random: () => number): string {
  const responses = new Map([...prompt.matchAll(/<response[^>]*\bid="([A-Z])"[^>]*>([\s\S]*?)<\/response>/g)].map((match) => [match[1] ?? "", match[2] ?? ""]));
  const right = (label: string) => item !== undefined && grade(item, responses.get(label) ?? null).correct;
  const score = (label: string) => (judgesRightly ? (right(label) ? 8 : 3) : 4 + Math.floor(random() * 4));
  const labels = rankingLabels(format);
  if (!labels) {
    const [label = "A"] = responses.keys();
    return JSON.stringify({ critique: "Judged on its final answer.", score: score(label) });
  }
  const scores = Object.fromEntries(labels.map((label) => [label, score(label)]));
  const tie = Object.fromEntries(labels.map((label) => [label, random()]));
  const ranking = [...labels].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || (tie[a] ?? 0) - (tie[b] ?? 0));
  return JSON.stringify({ critiques: Object.fromEntries(labels.map((label) => [label, "Judged on its final answer."])), scores, ranking });
}

function rankingLabels(format: unknown): string[] | undefined {
  const field = (value: unknown, key: string) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined);
  const labels = field(field(field(field(format, "properties"), "ranking"), "items"), "enum");
  return Array.isArray(labels) ? labels.map(String) : undefined;
}
