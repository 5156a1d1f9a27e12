import { numbersIn } from "../council/final-answer.js";
import { EvalDataError, type EvalItem, LETTERS, MAX_CHOICES, toItem } from "./items.js";

// The formats users bring, read as they are published, so nobody converts a benchmark by hand:
// - GSM8K-style: {"question": "…", "answer": "worked solution… #### 42"} (the number after ####)
// - ARC-style multiple choice, in AI2's JSONL ({"id", "question": {"stem", "choices": [{"text",
//   "label"}]}, "answerKey"}) or the Hugging Face export ({"id", "question", "choices": {"text":
//   [...], "label": [...]}, "answerKey"}); labels may be letters or digits.

export type ItemFormat = "items" | "gsm8k" | "arc";
export const ITEM_FORMATS: readonly ItemFormat[] = ["items", "gsm8k", "arc"];

type Json = Record<string, unknown>;

/** Which format a file's first object is in. */
export function detectFormat(first: unknown): ItemFormat {
  const object = isObject(first) ? first : {};
  if ("kind" in object) return "items";
  if ("answerKey" in object) return "arc";
  if (typeof object.answer === "string" && object.answer.includes("####")) return "gsm8k";
  throw new EvalDataError(
    'line 1 is in no format the evaluation reads: give items with "kind" (number, choice, exact, regex), GSM8K lines ("answer" ending in "#### 42") or ARC lines (with "answerKey"); see README.md',
  );
}

/** One line of a file in `format`, as an item; `line` is 1-based, for ids and messages. */
export function importItem(json: unknown, format: ItemFormat, line: number): EvalItem {
  const where = `line ${line}`;
  if (format === "items") return toItem(json, where);
  if (!isObject(json)) throw new EvalDataError(`${where} is not a JSON object`);
  return format === "gsm8k" ? fromGsm8k(json, line) : fromArc(json, line);
}

function fromGsm8k(json: Json, line: number): EvalItem {
  const { question, answer } = json;
  if (typeof question !== "string" || typeof answer !== "string") throw new EvalDataError(`line ${line}: a GSM8K line needs "question" and "answer" texts`);
  const final = answer.slice(answer.lastIndexOf("####") + 4);
  const value = numbersIn(final)[0];
  if (!answer.includes("####") || value === undefined) throw new EvalDataError(`line ${line}: the answer has no number after "####"; GSM8K answers end with "#### 42"`);
  const id = typeof json.id === "string" && json.id.trim() ? json.id : `gsm8k-${line}`;
  return toItem({ id, question, kind: "number", answer: value }, `line ${line}`);
}

function fromArc(json: Json, line: number): EvalItem {
  const where = `line ${line}`;
  const nested = isObject(json.question) ? json.question : undefined;
  const stem = nested ? nested.stem : json.question;
  const rawChoices = nested ? nested.choices : json.choices;
  let choices: Array<{ text: string; label: string }>;
  if (Array.isArray(rawChoices)) {
    choices = rawChoices.map((choice) => ({ text: String(isObject(choice) ? choice.text : ""), label: String(isObject(choice) ? choice.label : "") }));
  } else if (isObject(rawChoices) && Array.isArray(rawChoices.text) && Array.isArray(rawChoices.label)) {
    const labels = rawChoices.label;
    choices = rawChoices.text.map((text, index) => ({ text: String(text), label: String(labels[index] ?? "") }));
  } else {
    throw new EvalDataError(`${where}: an ARC line needs choices, as question.choices [{"text", "label"}] or choices {"text": [...], "label": [...]}`);
  }
  if (typeof stem !== "string") throw new EvalDataError(`${where}: an ARC line needs the question's text (question.stem, or question)`);
  if (choices.length > MAX_CHOICES) throw new EvalDataError(`${where}: has ${choices.length} choices; at most ${MAX_CHOICES} are read`);
  const key = String(json.answerKey ?? "").trim();
  const index = choices.findIndex((choice) => choice.label.trim() === key);
  if (index === -1) throw new EvalDataError(`${where}: answerKey "${key}" is none of the choices' labels (${choices.map((choice) => choice.label).join(", ")})`);
  const id = typeof json.id === "string" && json.id.trim() ? json.id : `arc-${line}`;
  // Labels "1".."4" become letters: the prompt and the grader speak in letters.
  return toItem({ id, question: stem, kind: "choice", choices: choices.map((choice) => choice.text), answer: LETTERS[index] }, where);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
