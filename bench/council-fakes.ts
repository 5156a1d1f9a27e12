import type { Preset, ReviewMode } from "../src/council/preset.js";
import { type FakeGenerationRequest, type FakeModel, type FakeOllama, startFakeOllama } from "../test-support/fake-ollama/index.js";

// The council benchmark's world: two fake Ollamas on real sockets, one for the members (PC2,
// each member a distinct model) and one for the chairman (PC1), with scripted answers and
// ballots and the timing model of a small model on a consumer GPU; in the CPU-chairman
// profile the chairman reads and writes at what an 8B model manages on a CPU.

export const DECODE_TOKENS_PER_SECOND = 100;
export const PREFILL_TOKENS_PER_SECOND = 2000;

export type Profile = "gpu" | "cpu-chairman";
export const PROFILES: readonly Profile[] = ["gpu", "cpu-chairman"];
/** The chairman's rates by profile; the members always run at the GPU rates above. */
export const CHAIRMAN_RATES: Record<Profile, { decodeTokensPerSecond: number; prefillTokensPerSecond: number }> = {
  gpu: { decodeTokensPerSecond: DECODE_TOKENS_PER_SECOND, prefillTokensPerSecond: PREFILL_TOKENS_PER_SECOND },
  "cpu-chairman": { decodeTokensPerSecond: 12, prefillTokensPerSecond: 150 },
};
export const MAX_MEMBERS = 8;
export const CHAIRMAN_MODEL = "chair:8b";
export const QUESTION = "Why is the sky blue during the day but red and orange at sunset?";

/**
 * Every council asks a question of its own, as real ones do: the same question every time
 * would let Ollama's prompt cache serve each council the previous one's prompts.
 */
export const questionFor = (council: number) => `Question ${council}: ${QUESTION}`;
const ANSWER_WORDS = 80;

export const memberModel = (index: number) => `member-${index}:3b`;

const VOCABULARY = [
  "sunlight", "scatters", "off", "air", "molecules", "and", "shorter", "blue", "wavelengths", "spread",
  "across", "the", "whole", "sky", "while", "longer", "red", "light", "travels", "straight",
  "through", "thin", "atmosphere", "at", "noon", "but", "near", "sunset", "path", "grows",
  "much", "longer", "so", "most", "is", "removed", "before", "reaching", "our", "eyes",
  "leaving", "warm", "orange", "tones", "dust", "water", "droplets", "also", "strengthen", "this",
];

/** 80 words in eight sentences, different for every author: the benchmark finds answers inside review prompts by their text. */
export function scriptedAnswer(author: number): string {
  const sentences: string[] = [];
  for (let s = 0; s < ANSWER_WORDS / 10; s++) {
    const words = Array.from({ length: 10 }, (_, w) => VOCABULARY[(author * 17 + s * 11 + w * 7) % VOCABULARY.length] ?? "light");
    const sentence = words.join(" ");
    sentences.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
  }
  return sentences.join(" ");
}

const CRITIQUES = [
  "Accurate and clear, but skips one supporting detail.",
  "Mostly right; the sunset part needs a clearer cause.",
  "Correct overall, though the wording repeats itself too often.",
  "Good physics, but it never names Rayleigh scattering.",
];

/** The member model's index, from "member-3:3b". */
export function memberIndexOf(model: string): number {
  const match = /^member-(\d+)/.exec(model);
  if (!match?.[1]) throw new Error(`not a member model: ${model}`);
  return Number(match[1]);
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A valid ballot for the JSON Schema the engine sent: a ranking ballot, or one pairwise score. */
export function scriptedBallot(format: unknown, reviewer: number): string {
  const properties = field(format, "properties");
  const labels = field(field(field(properties, "ranking"), "items"), "enum");
  if (Array.isArray(labels)) {
    const reviews = labels.map((label, index) => ({
      label: String(label),
      critique: CRITIQUES[(index + reviewer) % CRITIQUES.length] ?? "",
      score: 9 - ((index + reviewer) % 5),
    }));
    const ranking = [...reviews].sort((a, b) => b.score - a.score).map((review) => review.label);
    return JSON.stringify({
      critiques: Object.fromEntries(reviews.map((review) => [review.label, review.critique])),
      scores: Object.fromEntries(reviews.map((review) => [review.label, review.score])),
      ranking,
    });
  }
  if (field(properties, "score") !== undefined) {
    return JSON.stringify({ critique: CRITIQUES[reviewer % CRITIQUES.length] ?? "", score: 5 + (reviewer % 5) });
  }
  throw new Error(`the benchmark has no ballot for this format: ${JSON.stringify(format)}`);
}

function memberScript(request: FakeGenerationRequest): string {
  const reviewer = memberIndexOf(request.model);
  return request.format === undefined ? scriptedAnswer(reviewer) : scriptedBallot(request.format, reviewer);
}

/** The chairman's final answer: 80 words as well. */
export const CHAIRMAN_ANSWER = scriptedAnswer(0);

export interface Fakes {
  members: FakeOllama;
  chairman: FakeOllama;
  /** The scripts, for the timing model. */
  scriptOf(model: string): FakeModel;
  /** Slots per model. */
  slots: number;
  close(): Promise<void>;
}

export async function startFakes(options: { slots: number; loadMs: number; profile?: Profile }): Promise<Fakes> {
  const timing = {
    decodeTokensPerSecond: DECODE_TOKENS_PER_SECOND,
    prefillTokensPerSecond: PREFILL_TOKENS_PER_SECOND,
    loadMs: options.loadMs,
    parallel: options.slots,
  };
  const memberModels: Record<string, FakeModel> = {};
  for (let i = 1; i <= MAX_MEMBERS; i++) memberModels[memberModel(i)] = { ...timing, answer: memberScript };
  const chairModels: Record<string, FakeModel> = { [CHAIRMAN_MODEL]: { ...timing, ...CHAIRMAN_RATES[options.profile ?? "gpu"], answer: CHAIRMAN_ANSWER } };
  const [members, chairman] = await Promise.all([startFakeOllama({ models: memberModels }), startFakeOllama({ models: chairModels })]);
  return {
    members,
    chairman,
    slots: options.slots,
    scriptOf(model) {
      const script = memberModels[model] ?? chairModels[model];
      if (!script) throw new Error(`no such fake model: ${model}`);
      return script;
    },
    close: async () => {
      await Promise.all([members.close(), chairman.close()]);
    },
  };
}

export function presetFor(memberCount: number, review: ReviewMode): Preset {
  return {
    name: `bench-${review}-${memberCount}`,
    members: Array.from({ length: memberCount }, (_, i) => ({ name: `member-${i + 1}`, model: memberModel(i + 1) })),
    chairman: { model: CHAIRMAN_MODEL },
    strategy: "synthesis",
    review,
    debateRounds: 0,
    limits: {
      // Far above what the scripts say (about 90 tokens an answer, 280 a ballot of 7), so nothing is cut.
      numPredict: { answer: 600, debate: 600, review: 1000, synthesis: 1200 },
      numCtx: { default: 8192, byModel: {} },
      callTimeoutMs: 120_000,
      stageTimeoutMs: 300_000,
      maxQuestionChars: 4000,
    },
  };
}
