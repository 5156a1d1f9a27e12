import { z } from "zod";

// The questions an evaluation asks, each with the answer that counts as right and how to
// compare a reply with it. One JSON object a line:
//   {"id": "apples-1", "question": "…", "answer": 42, "kind": "number"}
//   {"id": "sci-3", "question": "…", "choices": ["…", "…"], "answer": "B", "kind": "choice"}
//   {"id": "cap-1", "question": "…", "answer": "Paris", "kind": "exact"}
//   {"id": "year-1", "question": "…", "answer": "^(in )?1969$", "kind": "regex"}

export type EvalItem =
  | { id: string; question: string; kind: "number"; answer: number }
  /** `answer` is the index of the right choice; letters A, B, … name the choices in order. */
  | { id: string; question: string; kind: "choice"; choices: string[]; answer: number }
  | { id: string; question: string; kind: "exact"; answer: string }
  /** A case-insensitive pattern the final answer must match. */
  | { id: string; question: string; kind: "regex"; answer: string };

export class EvalDataError extends Error {
  override readonly name = "EvalDataError";
  readonly kind = "eval-data";
}

// A question file is read whole; these bound what one may hold.
export const MAX_ITEMS = 100_000;
export const MAX_LINE_CHARS = 64_000;
export const MAX_CHOICES = 26;

export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

const text = (what: string) => z.string({ error: `must be a text (${what})` }).trim().min(1, "must not be empty");

const itemSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      id: text("the item's id"),
      question: text("the question"),
      kind: z.literal("number"),
      answer: z.union([z.number(), z.string()], { error: 'must be a number, e.g. 42 or "1,200"' }),
    }),
    z.strictObject({
      id: text("the item's id"),
      question: text("the question"),
      kind: z.literal("choice"),
      choices: z.array(text("a choice"), { error: "must be a list of the choices' texts" }).min(2, "must have at least 2 choices").max(MAX_CHOICES, `must have at most ${MAX_CHOICES} choices`),
      answer: text("the right choice's letter, or its text"),
    }),
    z.strictObject({ id: text("the item's id"), question: text("the question"), kind: z.literal("exact"), answer: text("the expected answer") }),
    z.strictObject({ id: text("the item's id"), question: text("the question"), kind: z.literal("regex"), answer: text("a regular expression") }),
  ],
  { error: 'needs a "kind" of number, choice, exact or regex' },
);

/** One parsed line as an item, or an EvalDataError naming the line, the field and the fix. */
export function toItem(json: unknown, where: string): EvalItem {
  const result = itemSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    throw new EvalDataError(`${where}: ${path ? `${path} ` : ""}${issue?.message ?? "is not a valid item"}`);
  }
  const item = result.data;
  switch (item.kind) {
    case "number": {
      const value = typeof item.answer === "number" ? item.answer : Number(item.answer.replaceAll(",", "").trim());
      if (!Number.isFinite(value)) throw new EvalDataError(`${where}: answer ${JSON.stringify(item.answer)} is not a number; write it as 42, -3.5 or "1,200"`);
      return { ...item, answer: value };
    }
    case "choice":
      return { ...item, answer: choiceIndex(item.answer, item.choices, where) };
    case "regex":
      try {
        new RegExp(item.answer, "i");
      } catch (error) {
        throw new EvalDataError(`${where}: answer is not a valid regular expression (${(error as Error).message})`);
      }
      return item;
    case "exact":
      return item;
  }
}

function choiceIndex(answer: string, choices: readonly string[], where: string): number {
  // A choice's own text first: a choice may be one letter long ("x", "y").
  const byText = choices.findIndex((choice) => choice.trim().toLowerCase() === answer.trim().toLowerCase());
  if (byText !== -1) return byText;
  const letter = /^\(?([A-Za-z])\)?$/.exec(answer)?.[1]?.toUpperCase();
  if (letter) {
    const index = LETTERS.indexOf(letter);
    if (index < choices.length) return index;
    throw new EvalDataError(`${where}: answer "${answer}" names choice ${letter}, but there are only ${choices.length} (A to ${LETTERS[choices.length - 1]})`);
  }
  throw new EvalDataError(`${where}: answer "${answer}" is neither a choice's letter nor one of its choices`);
}

/** Every id once: results are kept by id, so a repeated one would be graded twice or lost. */
export function checkIds(items: readonly EvalItem[], source: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new EvalDataError(`${source}: the id "${item.id}" is used twice; give every item its own id`);
    seen.add(item.id);
  }
}
