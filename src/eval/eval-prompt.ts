import { type EvalItem, LETTERS } from "./items.js";

// The question as the council is asked it: the item's text, its choices lettered, and one line
// on how to end the reply, the same for every strategy and member, so that a final answer can
// be read from any reply (the usual practice of GSM8K and ARC evaluations).

const HOW_TO_END: Record<EvalItem["kind"], string> = {
  number: "Work it out briefly, then end your reply with a last line of the form \"Answer: <number>\".",
  choice: "End your reply with a last line of the form \"Answer: <letter>\".",
  exact: "End your reply with a last line of the form \"Answer: <short answer>\".",
  regex: "End your reply with a last line of the form \"Answer: <short answer>\".",
};

export function evalQuestion(item: EvalItem): string {
  const choices = item.kind === "choice" ? `\n\n${item.choices.map((choice, index) => `(${LETTERS[index]}) ${choice}`).join("\n")}` : "";
  return `${item.question}${choices}\n\n${HOW_TO_END[item.kind]}`;
}
