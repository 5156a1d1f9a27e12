import type { Ballot, CouncilEvent } from "../src/council/events.js";
import type { CallStats, StageName } from "../src/council/usage.js";
import { summarize } from "../src/council/usage.js";
import { type DeliberationView, emptyView, reduce } from "../src/council/view.js";

// Scripted event sequences, as the engine emits them, for the renderer tests: a completed
// council, one with a failed member, one whose chairman failed, one where nothing ran, and a
// large one with long answers.

export function fold(events: readonly CouncilEvent[]): DeliberationView {
  return events.reduce(reduce, emptyView());
}

export function stats(model: string, stage: StageName, completionTokens: number, wallMs: number): CallStats {
  return {
    model,
    stage,
    startMs: 0,
    wallMs,
    promptTokens: 100,
    completionTokens,
    loadMs: 0,
    promptEvalMs: 50,
    evalMs: completionTokens * 25,
    totalMs: wallMs,
    doneReason: "stop",
  };
}

const THREE = [
  { name: "Llama", model: "llama3.2:3b" },
  { name: "Qwen", model: "qwen2.5:3b" },
  { name: "Gemma", model: "gemma2:2b" },
];

const QUESTION = "Why is the sky blue?";
const MODELS: Record<string, string> = Object.fromEntries(THREE.map((member) => [member.name, member.model]));

function started(members = THREE, chairman: string | null = "llama3.1:8b"): CouncilEvent {
  return {
    type: "council-started",
    question: QUESTION,
    preset: "balanced",
    strategy: "synthesis",
    review: "ranking",
    debateRounds: 0,
    members,
    chairman,
    stages: chairman ? ["answers", "review", "synthesis"] : ["answers", "review"],
  };
}

function answered(member: string, model: string, answer: string, completionTokens: number, wallMs: number): CouncilEvent[] {
  const call = stats(model, "answers", completionTokens, wallMs);
  return [
    { type: "member-delta", stage: "answers", member, text: answer },
    { type: "member-answered", stage: "answers", member, answer, stats: call },
    { type: "call-finished", stats: call, member },
  ];
}

function ballot(reviewer: string, ranking: string[], scores: number[]): CouncilEvent[] {
  const entry: Ballot = {
    reviewer,
    abstained: false,
    ranking,
    scores: Object.fromEntries(ranking.map((name, i) => [name, scores[i] ?? 5])),
    critiques: Object.fromEntries(ranking.map((name) => [name, `${name} is clear.`])),
    repaired: false,
  };
  return [
    { type: "ballot", ballot: entry },
    { type: "call-finished", stats: stats(MODELS[reviewer] ?? reviewer, "review", 80, 2000), member: reviewer },
  ];
}

function finished(events: readonly CouncilEvent[], status: "completed" | "partial" | "failed", reason?: string): CouncilEvent {
  const calls = events.flatMap((event) => (event.type === "call-finished" ? [event.stats] : []));
  const byStage: Partial<Record<StageName, number>> = {};
  for (const event of events) if (event.type === "stage-finished") byStage[event.stage] = event.wallMs;
  const totalMs = Object.values(byStage).reduce((sum, ms) => sum + ms, 0);
  return { type: "council-finished", status, ...(reason && { reason }), usage: summarize(calls), latency: { totalMs, byStage } };
}

const ANSWERS = {
  Llama: "Rayleigh scattering: shorter wavelengths scatter more.",
  Qwen: "Blue light scatters more in the atmosphere than red light.",
  Gemma: "Because of the ocean.",
};

/** Three members answer, rank each other, and the chairman writes the answer. */
export function completedCouncil(): CouncilEvent[] {
  const events: CouncilEvent[] = [
    started(),
    { type: "stage-started", stage: "answers", expectedCalls: 3 },
    ...answered("Llama", "llama3.2:3b", ANSWERS.Llama, 312, 4200),
    ...answered("Qwen", "qwen2.5:3b", ANSWERS.Qwen, 280, 3900),
    ...answered("Gemma", "gemma2:2b", ANSWERS.Gemma, 40, 1500),
    { type: "stage-finished", stage: "answers", wallMs: 4300 },
    { type: "stage-started", stage: "review", expectedCalls: 3 },
    ...ballot("Llama", ["Qwen", "Gemma"], [8, 3]),
    ...ballot("Qwen", ["Llama", "Gemma"], [9, 2]),
    ...ballot("Gemma", ["Qwen", "Llama"], [7, 6]),
    { type: "stage-finished", stage: "review", wallMs: 6100 },
    ranking(),
    { type: "stage-started", stage: "synthesis", expectedCalls: 1 },
    { type: "verdict-delta", text: "The sky is blue because " },
    { type: "verdict-delta", text: "air scatters blue light most." },
    { type: "verdict", text: "The sky is blue because air scatters blue light most.", by: { kind: "chairman", model: "llama3.1:8b" } },
    { type: "call-finished", stats: stats("llama3.1:8b", "synthesis", 150, 8000) },
    { type: "stage-finished", stage: "synthesis", wallMs: 8000 },
  ];
  return [...events, finished(events, "completed")];
}

function ranking(members = ["Qwen", "Llama", "Gemma"]): CouncilEvent {
  return {
    type: "ranking",
    rows: members.map((member, i) => ({ member, position: i + 1, borda: 1 - i / Math.max(1, members.length - 1), copeland: members.length - 1 - 2 * i, meanScore: 9 - i, votes: 2 })),
    consensus: 0.78,
  };
}

export const MISSING_MODEL = "model gemma2:2b is on no worker; run `ollama pull gemma2:2b` on PC2";

/** Gemma's model is not pulled; the two others carry on and the chairman answers. */
export function failedMemberCouncil(): CouncilEvent[] {
  const events: CouncilEvent[] = [
    started(),
    { type: "stage-started", stage: "answers", expectedCalls: 3 },
    { type: "call-failed", model: "gemma2:2b", stage: "answers", member: "Gemma", startMs: 2, wallMs: 30, reason: { kind: "model-missing", message: MISSING_MODEL } },
    { type: "member-failed", stage: "answers", member: "Gemma", error: { kind: "model-missing", message: MISSING_MODEL } },
    ...answered("Llama", "llama3.2:3b", ANSWERS.Llama, 312, 4200),
    ...answered("Qwen", "qwen2.5:3b", ANSWERS.Qwen, 280, 3900),
    { type: "stage-finished", stage: "answers", wallMs: 4300 },
    { type: "stage-started", stage: "review", expectedCalls: 2 },
    ...ballot("Llama", ["Qwen"], [8]),
    ...ballot("Qwen", ["Llama"], [9]),
    { type: "stage-finished", stage: "review", wallMs: 3000 },
    ranking(["Llama", "Qwen"]),
    { type: "stage-started", stage: "synthesis", expectedCalls: 1 },
    { type: "verdict", text: "Blue light scatters most.", by: { kind: "chairman", model: "llama3.1:8b" } },
    { type: "call-finished", stats: stats("llama3.1:8b", "synthesis", 90, 5000) },
    { type: "stage-finished", stage: "synthesis", wallMs: 5000 },
  ];
  return [...events, finished(events, "partial", `Gemma failed: ${MISSING_MODEL}`)];
}

export const CHAIRMAN_DOWN = "worker not reachable at http://127.0.0.1:11434 (connection refused); is it running, and is WORKER_URLS right?";

/** Everyone answers, but the chairman is unreachable: the top-ranked answer is given, labelled. */
export function chairmanFailedCouncil(): CouncilEvent[] {
  const events = completedCouncil().filter((event) => event.type !== "council-finished" && !event.type.startsWith("verdict") && !(event.type === "call-finished" && event.stats.stage === "synthesis"));
  const withFallback: CouncilEvent[] = [
    ...events,
    { type: "verdict", text: ANSWERS.Qwen, by: { kind: "top-ranked", member: "Qwen", because: `the chairman failed: ${CHAIRMAN_DOWN}` } },
  ];
  return [...withFallback, finished(withFallback, "partial", `the chairman failed: ${CHAIRMAN_DOWN}`)];
}

export const UNREACHABLE = "worker not reachable at http://10.0.0.9:8001 (connection refused); is it running, and is WORKER_URLS right?";

/** No worker answers: every member fails and nothing else runs. */
export function failedCouncil(): CouncilEvent[] {
  const events: CouncilEvent[] = [
    started(),
    { type: "stage-started", stage: "answers", expectedCalls: 3 },
    ...THREE.map((member): CouncilEvent => ({ type: "member-failed", stage: "answers", member: member.name, error: { kind: "unreachable", message: UNREACHABLE } })),
    { type: "stage-finished", stage: "answers", wallMs: 40 },
  ];
  return [...events, finished(events, "failed", `every member failed: ${UNREACHABLE}`)];
}

const LONG_ANSWER =
  "Light from the sun is made of every colour; as it crosses the atmosphere, the molecules of nitrogen and oxygen scatter the short wavelengths far more than the long ones (Rayleigh scattering goes as the inverse fourth power of the wavelength), so blue light reaches our eyes from every direction of the sky. 空が青いのはレイリー散乱のためです。 🌍🌤️ Averyveryverylongwordwithoutanyspacesthatmustbebrokensomewhereinthemiddle.\n\nAt sunset the path is longer, the blue is scattered away, and reds remain.";

/**
 * Eight members with long (and wide-character) answers, at a phase: "answering" (half of them
 * still mid-answer), "writing" (ranked, the chairman streaming a long answer), or "finished".
 */
export function eightMemberCouncil(phase: "answering" | "writing" | "finished"): CouncilEvent[] {
  const members = Array.from({ length: 8 }, (_, i) => ({ name: `Member-with-a-long-name-${i + 1}`, model: `registry.example.com/library/model-${i + 1}:70b-instruct-q4_K_M` }));
  const events: CouncilEvent[] = [started(members, "llama3.1:70b"), { type: "stage-started", stage: "answers", expectedCalls: 8 }];
  members.forEach((member, i) => {
    events.push({ type: "member-delta", stage: "answers", member: member.name, text: LONG_ANSWER });
    if (phase !== "answering" || i < 4) events.push(...answered(member.name, member.model, LONG_ANSWER, 1234 + i, 65_000 + i * 1000).slice(1));
  });
  if (phase === "answering") return events;
  const verdict = `${LONG_ANSWER}\n\n${LONG_ANSWER}\n\n${LONG_ANSWER}`;
  events.push(
    { type: "stage-finished", stage: "answers", wallMs: 72_000 },
    { type: "warning", stage: "review", code: "prompt-truncated", message: `The review prompt was cut to fit num_ctx 8192 for ${members[0]?.model}.` },
    ranking(members.map((member) => member.name)),
    { type: "stage-started", stage: "synthesis", expectedCalls: 1 },
    { type: "verdict-delta", text: verdict },
  );
  if (phase === "writing") return events;
  events.push({ type: "verdict", text: verdict, by: { kind: "chairman", model: "llama3.1:70b" } });
  return [...events, finished(events, "completed")];
}
