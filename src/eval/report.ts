import type { Preset, Strategy } from "../council/preset.js";
import { budgetSamples } from "./budget.js";
import { grade } from "./grade.js";
import type { ItemResult, Reply } from "./item-runner.js";
import type { EvalItem } from "./items.js";
import { mcnemarExact } from "./mcnemar.js";
import { pairedBootstrap } from "./paired-bootstrap.js";
import { wilsonInterval } from "./wilson.js";

// The figures of a run: each strategy's accuracy with its 95% interval and cost, and the paired
// comparisons a user decides on: does each council strategy beat the best member alone, the
// members' plain majority, and (at equal tokens) the best member sampled several times?

export type StrategyKind = "council" | "member" | "majority" | "budget-vote";

export interface StrategyFigures {
  name: string;
  kind: StrategyKind;
  accuracy: number;
  interval: [number, number];
  correct: number;
  tokensPerItem: number;
  secondsPerItem: number;
}

export interface Comparison {
  a: string;
  b: string;
  /** Accuracy of a minus accuracy of b. */
  difference: number;
  /** 95% paired bootstrap interval of the difference. */
  interval: [number, number];
  /** McNemar's exact test. */
  pValue: number;
  /** Items only a got right, and only b. */
  onlyA: number;
  onlyB: number;
}

export interface BudgetChoice {
  member: string;
  k: number;
  /** The council strategy whose tokens per item it matches. */
  matches: string;
}

export interface EvalReport {
  items: number;
  preset: string;
  strategies: StrategyFigures[];
  comparisons: Comparison[];
  /** The member entry with the best accuracy (then the fewest tokens, then the first seated). */
  bestMember?: string;
  budget?: BudgetChoice & { model: string };
}

const MEMBERS_MAJORITY = "members' majority";

interface Outcomes {
  figures: StrategyFigures;
  right: boolean[];
}

export interface ReportInput {
  items: readonly EvalItem[];
  preset: Preset;
  results: readonly ItemResult[];
  /** The equal-budget vote's choice and its answers by item id, once every item has one. */
  budget?: { choice: BudgetChoice; replies: ReadonlyMap<string, Reply> };
  seed: number;
}

export function buildReport(input: ReportInput): EvalReport {
  const byId = new Map(input.items.map((item) => [item.id, item]));
  const results = input.results.filter((result) => byId.has(result.id));
  const itemOf = (result: ItemResult) => byId.get(result.id) as EvalItem;
  const outcomes = (name: string, kind: StrategyKind, replyOf: (result: ItemResult) => Reply | undefined, rightOf?: (result: ItemResult) => boolean): Outcomes => {
    const right = results.map((result) => rightOf?.(result) ?? grade(itemOf(result), replyOf(result)?.text ?? null).correct);
    const mean = (pick: (reply: Reply) => number) => (results.length === 0 ? 0 : results.reduce((sum, result) => sum + pick(replyOf(result) ?? { text: null, cost: { tokens: 0, seconds: 0 } }), 0) / results.length);
    const correct = right.filter(Boolean).length;
    return {
      right,
      figures: {
        name,
        kind,
        accuracy: results.length === 0 ? 0 : correct / results.length,
        interval: wilsonInterval(correct, results.length),
        correct,
        tokensPerItem: mean((reply) => reply.cost.tokens),
        secondsPerItem: mean((reply) => reply.cost.seconds),
      },
    };
  };

  const strategies = (Object.keys(results[0]?.councils ?? {}) as Strategy[]).map((strategy) => outcomes(strategy, "council", (result) => result.councils[strategy]));
  const names = memberNames(input.preset);
  const members = input.preset.members.map((member) => ({ member: member.name, ...outcomes(names.get(member.name) ?? member.model, "member", (result) => result.members[member.name]) }));
  const majority = outcomes(MEMBERS_MAJORITY, "majority", (result) => membersTogether(result, input.preset), (result) => majorityRight(itemOf(result), result, input.preset));
  // Best by accuracy; then the cheaper; then preset order.
  const best = [...members].sort((a, b) => b.figures.accuracy - a.figures.accuracy || a.figures.tokensPerItem - b.figures.tokensPerItem)[0];

  const all: Outcomes[] = [...strategies, ...members, majority];
  const comparisons: Comparison[] = [];
  const compare = (a: Outcomes, b: Outcomes) => comparisons.push(comparison(a, b, input.seed));
  for (const strategy of strategies) {
    if (best) compare(strategy, best);
    compare(strategy, majority);
  }
  let budget: EvalReport["budget"];
  if (input.budget) {
    const { choice, replies } = input.budget;
    const seat = input.preset.members.find((member) => member.name === choice.member);
    const voted = outcomes(`${names.get(choice.member) ?? choice.member} ×${choice.k}`, "budget-vote", (result) => replies.get(result.id));
    all.push(voted);
    const matched = strategies.find((strategy) => strategy.figures.name === choice.matches);
    if (matched) compare(matched, voted);
    budget = { ...choice, model: seat?.model ?? choice.member };
  }
  return {
    items: results.length,
    preset: input.preset.name,
    strategies: all.map((one) => one.figures),
    comparisons,
    ...(best && { bestMember: best.figures.name }),
    ...(budget && { budget }),
  };
}

/** After the first pass: the best member, the council strategy it is matched with, and k. */
export function chooseBudget(report: EvalReport, preset: Preset, strategies: readonly Strategy[]): BudgetChoice | undefined {
  const council = report.strategies.find((one) => one.kind === "council" && one.name === preset.strategy) ?? report.strategies.find((one) => one.kind === "council" && strategies.includes(one.name as Strategy));
  const best = report.strategies.find((one) => one.kind === "member" && one.name === report.bestMember);
  const member = [...memberNames(preset)].find(([, name]) => name === best?.name)?.[0];
  if (!council || !best || !member) return undefined;
  return { member, k: budgetSamples(council.tokensPerItem, best.tokensPerItem), matches: council.name };
}

function comparison(a: Outcomes, b: Outcomes, seed: number): Comparison {
  const onlyA = a.right.filter((right, index) => right && !b.right[index]).length;
  const onlyB = b.right.filter((right, index) => right && !a.right[index]).length;
  const { difference, interval } = pairedBootstrap(a.right, b.right, { seed });
  return { a: a.figures.name, b: b.figures.name, difference, interval, pValue: mcnemarExact(onlyA, onlyB), onlyA, onlyB };
}

/** One entry per member model, named after it; a model seated twice is told apart by the seat's name. */
function memberNames(preset: Preset): Map<string, string> {
  const count = (model: string) => preset.members.filter((member) => member.model === model).length;
  return new Map(preset.members.map((member) => [member.name, count(member.model) > 1 ? `${member.model} (${member.name})` : member.model]));
}

/** The members' first answers together: what they cost side by side. */
function membersTogether(result: ItemResult, preset: Preset): Reply {
  const replies = preset.members.map((member) => result.members[member.name]);
  return {
    text: null,
    cost: {
      tokens: replies.reduce((sum, reply) => sum + (reply?.cost.tokens ?? 0), 0),
      seconds: Math.max(0, ...replies.map((reply) => reply?.cost.seconds ?? 0)),
    },
  };
}

/** The answer most members gave, read as the grader reads it; ties go to the member seated first. */
function majorityRight(item: EvalItem, result: ItemResult, preset: Preset): boolean {
  const votes = new Map<string, { count: number; first: number; correct: boolean }>();
  preset.members.forEach((member, index) => {
    const graded = grade(item, result.members[member.name]?.text ?? null);
    if (!graded.given) return;
    const entry = votes.get(graded.given) ?? { count: 0, first: index, correct: graded.correct };
    entry.count += 1;
    votes.set(graded.given, entry);
  });
  const winner = [...votes.values()].sort((a, b) => b.count - a.count || a.first - b.first)[0];
  return winner?.correct ?? false;
}
