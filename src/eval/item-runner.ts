import { createHash } from "node:crypto";
import { createCouncilEngine } from "../council/engine.js";
import type { CouncilEvent } from "../council/events.js";
import type { Preset, Strategy } from "../council/preset.js";
import { DEFAULT_VOTE } from "../council/stage-vote.js";
import { createSeededRandom } from "../insights/seeded-random.js";
import { evalQuestion } from "./eval-prompt.js";
import type { EvalItem } from "./items.js";
import type { ReplayClient, ReplayedCall } from "./replay-client.js";

// One item through every strategy asked for, each a real council run of the engine, sharing
// identical calls through the replay clients. `majority` runs first: it is stage 1 alone, so
// it also gives each member's first answer (the "member alone" baseline) and its cost.

export const COUNCIL_STRATEGIES: readonly Strategy[] = ["synthesis", "best-of", "majority", "weighted", "vote"];

export interface Cost {
  /** Prompt and completion tokens of every call the strategy needs, shared ones included. */
  tokens: number;
  /** Per stage, the longest call as Ollama timed it (its total_duration), summed over the stages. */
  seconds: number;
}

export interface Reply {
  /** The final answer; null when the council or the member failed. */
  text: string | null;
  cost: Cost;
}

export interface ItemResult {
  id: string;
  /** Each member's first answer, by member name. */
  members: Record<string, Reply>;
  /** Each council strategy's answer, by strategy. */
  councils: Partial<Record<Strategy, Reply>>;
  /** The members' answer calls, for the equal-budget vote to reuse. */
  calls: ReplayedCall[];
}

/** Every member failed on an item (a server down, a model missing): the run stops rather than score it wrong. */
export class ItemFailedError extends Error {
  override readonly name = "ItemFailedError";
  readonly kind = "item-failed";
}

export interface ItemRunDeps {
  preset: Preset;
  members: ReplayClient;
  chairman: ReplayClient;
  /** The run's seed: each item's review shuffles come from it and the item's id. */
  seed: number;
  signal: AbortSignal;
}

export async function runItem(item: EvalItem, strategies: readonly Strategy[], deps: ItemRunDeps): Promise<ItemResult> {
  deps.members.clear();
  deps.chairman.clear();
  const order = ["majority" as const, ...strategies.filter((strategy) => strategy !== "majority")];
  const councils: ItemResult["councils"] = {};
  let members: Record<string, Reply> = {};
  for (const strategy of order) {
    const events = await runCouncil(item, { ...deps.preset, strategy }, deps);
    if (deps.signal.aborted) break;
    if (strategy === "majority") {
      members = firstAnswers(events, deps.preset);
      // Nobody answering is the servers' failure, not the models' mistake: it must not be scored.
      if (Object.values(members).every((reply) => reply.text === null)) {
        const finished = events.findLast((event) => event.type === "council-finished");
        throw new ItemFailedError(`item ${item.id}: ${finished?.type === "council-finished" ? (finished.reason ?? "no member answered") : "no member answered"}`);
      }
    }
    if (strategies.includes(strategy)) councils[strategy] = replyOf(events);
  }
  // In the order asked for, which the report keeps.
  const ordered = Object.fromEntries(strategies.flatMap((strategy) => (councils[strategy] ? [[strategy, councils[strategy]]] : [])));
  return { id: item.id, members, councils: ordered, calls: deps.members.kept((request) => request.format === undefined) };
}

/** The equal-budget baseline: one member sampled `k` times and voted, its first samples replayed from `calls`. */
export async function runBudgetVote(item: EvalItem, member: string, k: number, calls: readonly ReplayedCall[], deps: ItemRunDeps): Promise<Reply> {
  deps.members.clear();
  deps.chairman.clear();
  deps.members.restore(calls);
  const seat = deps.preset.members.find((one) => one.name === member);
  if (!seat) throw new Error(`the budget vote's member ${member} is not in preset ${deps.preset.name}`);
  const vote = { ...(deps.preset.vote ?? DEFAULT_VOTE), samples: k, selection: "plurality" as const };
  return replyOf(await runCouncil(item, { ...deps.preset, members: [seat], strategy: "vote", vote }, deps));
}

async function runCouncil(item: EvalItem, preset: Preset, deps: ItemRunDeps): Promise<CouncilEvent[]> {
  deps.members.beginRun();
  deps.chairman.beginRun();
  const question = evalQuestion(item);
  // The question limit guards chat users; an evaluation's own questions are not refused by it.
  const limits = { ...preset.limits, maxQuestionChars: Math.max(preset.limits.maxQuestionChars, question.length) };
  const engine = createCouncilEngine({ members: deps.members, chairman: deps.chairman, random: createSeededRandom(itemSeed(deps.seed, item.id)) });
  const events: CouncilEvent[] = [];
  for await (const event of engine.runCouncil(question, { ...preset, limits }, { signal: deps.signal })) events.push(event);
  return events;
}

function itemSeed(seed: number, id: string): number {
  return createHash("sha256").update(`${seed}:${id}`).digest().readUInt32BE(0);
}

function replyOf(events: readonly CouncilEvent[]): Reply {
  const verdict = events.find((event) => event.type === "verdict");
  const finished = events.findLast((event) => event.type === "council-finished");
  return { text: verdict?.text ?? null, cost: { tokens: finished?.usage.totalTokens ?? 0, seconds: stageSeconds(events) } };
}

/** Stages run one after another and their calls side by side: a stage takes as long as its longest call. */
function stageSeconds(events: readonly CouncilEvent[]): number {
  const started = new Map<string, number>();
  const longest = new Map<string, number>();
  for (const event of events) {
    if (event.type === "stage-started") started.set(event.stage, (started.get(event.stage) ?? 0) + 1);
    if (event.type === "call-finished") {
      const key = `${event.stats.stage}#${started.get(event.stats.stage) ?? 0}`;
      longest.set(key, Math.max(longest.get(key) ?? 0, event.stats.totalMs));
    }
  }
  return [...longest.values()].reduce((sum, ms) => sum + ms, 0) / 1000;
}

function firstAnswers(events: readonly CouncilEvent[], preset: Preset): Record<string, Reply> {
  return Object.fromEntries(
    preset.members.map((member) => {
      const answered = events.find((event) => event.type === "member-answered" && event.stage === "answers" && event.member === member.name);
      const call = events.find((event) => event.type === "call-finished" && event.member === member.name && event.stats.stage === "answers");
      const stats = call?.type === "call-finished" ? call.stats : undefined;
      const cost = { tokens: stats ? stats.promptTokens + stats.completionTokens : 0, seconds: (stats?.totalMs ?? 0) / 1000 };
      return [member.name, { text: answered?.type === "member-answered" ? answered.answer : null, cost }];
    }),
  );
}
