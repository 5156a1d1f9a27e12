import { z } from "zod";

// A ballot is asked for as a JSON Schema (Ollama's structured output) and checked again here:
// a schema cannot say "a permutation of exactly these labels", and a model may ignore the
// schema altogether. What fails these checks is never patched into a score.

const CRITIQUE_MAX = 200;

export type BallotCheck<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface RankingBallot {
  /** Labels, best first. */
  ranking: string[];
  scores: Record<string, number>;
  critiques: Record<string, string>;
}

// Compact on purpose: a ballot's tokens are decoded on the council's critical path, and
// {"label":"A","critique":...,"score":7} objects cost about ten tokens per answer more than
// label-keyed maps. Critiques come first, so a judge writes its reasons before its order.
export function rankingBallotSchema(labels: readonly string[]): Record<string, unknown> {
  const perLabel = (value: Record<string, unknown>) => ({
    type: "object",
    properties: Object.fromEntries(labels.map((label) => [label, value])),
    required: [...labels],
  });
  return {
    type: "object",
    properties: {
      critiques: perLabel({ type: "string", maxLength: CRITIQUE_MAX }),
      scores: perLabel({ type: "integer", minimum: 1, maximum: 10 }),
      ranking: { type: "array", minItems: labels.length, maxItems: labels.length, items: { type: "string", enum: [...labels] } },
    },
    required: ["critiques", "scores", "ranking"],
  };
}

const score = z.number({ error: "a score must be a number" }).min(1, "a score must be from 1 to 10").max(10, "a score must be from 1 to 10");
const critique = z.string({ error: "a critique must be a text" });

const rankingShape = z.object({
  critiques: z.record(z.string(), critique, { error: '"critiques" must map each label to a one-line critique' }),
  scores: z.record(z.string(), score, { error: '"scores" must map each label to a score from 1 to 10' }),
  ranking: z.array(z.string(), { error: '"ranking" must be a list of labels' }),
});

export function checkRankingBallot(text: string, labels: readonly string[]): BallotCheck<RankingBallot> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const shape = rankingShape.safeParse(parsed.value);
  if (!shape.success) return { ok: false, problem: describe(shape.error) };
  const expected = [...labels].sort().join(",");
  const { critiques, scores, ranking } = shape.data;
  if ([...ranking].sort().join(",") !== expected) {
    return { ok: false, problem: `"ranking" must list each of ${labels.join(", ")} exactly once, but it is [${ranking.join(", ")}]` };
  }
  for (const [field, entries] of [
    ["scores", scores],
    ["critiques", critiques],
  ] as const) {
    if (Object.keys(entries).sort().join(",") !== expected) {
      return { ok: false, problem: `"${field}" must have exactly one entry for each of ${labels.join(", ")}` };
    }
  }
  return {
    ok: true,
    value: {
      ranking,
      scores,
      critiques: Object.fromEntries(Object.entries(critiques).map(([label, text]) => [label, oneLine(text)])),
    },
  };
}

export interface PairwiseScore {
  score: number;
  critique: string;
}

export const PAIRWISE_SCHEMA: Record<string, unknown> = {
  type: "object",
  properties: {
    critique: { type: "string", maxLength: CRITIQUE_MAX },
    score: { type: "integer", minimum: 1, maximum: 10 },
  },
  required: ["critique", "score"],
};

const pairwiseShape = z.object({ critique, score });

export function checkPairwiseScore(text: string): BallotCheck<PairwiseScore> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const shape = pairwiseShape.safeParse(parsed.value);
  if (!shape.success) return { ok: false, problem: describe(shape.error) };
  return { ok: true, value: { score: shape.data.score, critique: oneLine(shape.data.critique) } };
}

function parseJson(text: string): BallotCheck<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const preview = text.trim().slice(0, 60);
    return { ok: false, problem: `it is not JSON (it starts with "${preview}")` };
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "its shape is wrong";
  const where = issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return issue.code === "invalid_type" && issue.path.length > 0 ? `"${issue.path.join(".")}" is missing or of the wrong type` : `${issue.message}${where}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > CRITIQUE_MAX ? `${line.slice(0, CRITIQUE_MAX - 1)}…` : line;
}
