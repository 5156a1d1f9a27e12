import { choiceLetterOf, finalAnswerText, markedAnswer, normaliseAnswer, numbersIn } from "../council/final-answer.js";
import { type EvalItem, LETTERS } from "./items.js";

// Whether a reply answers an item rightly. Each kind reads the reply's final answer (after
// "Answer:", "The answer is", "####", …, else its last line) its own way, so "The answer is
// 1,200 apples." is 1200 and "The answer is (B)." is B.

export interface Grade {
  correct: boolean;
  /** What the reply answered, comparable across replies ("1200", "B", "paris"); "" when it gave nothing readable. */
  given: string;
}

const NOTHING: Grade = { correct: false, given: "" };

export function grade(item: EvalItem, reply: string | null): Grade {
  if (!reply?.trim()) return NOTHING;
  switch (item.kind) {
    case "number": {
      const value = givenNumber(reply);
      if (value === undefined) return NOTHING;
      return { correct: Math.abs(value - item.answer) <= 1e-6 * Math.max(1, Math.abs(item.answer)), given: String(value) };
    }
    case "choice": {
      const index = givenChoice(reply, item.choices);
      if (index === undefined) return NOTHING;
      return { correct: index === item.answer, given: LETTERS[index] ?? "" };
    }
    case "exact": {
      const given = normaliseAnswer(finalAnswerText(reply));
      const expected = normaliseAnswer(item.answer);
      return { correct: given === expected || normaliseAnswer(reply) === expected, given };
    }
    case "regex": {
      // Without the sentence's end: "The answer is in 1969." gives "in 1969".
      const final = finalAnswerText(reply).replace(/[\s.!?,;:]+$/, "");
      return { correct: new RegExp(item.answer, "i").test(final), given: normaliseAnswer(final) };
    }
  }
}

/** The first number after the last answer marker; without one, the reply's last number. */
function givenNumber(reply: string): number | undefined {
  const marked = markedAnswer(reply);
  return marked !== undefined ? numbersIn(marked)[0] : numbersIn(reply).at(-1);
}

/** A choice's letter in the final answer, or else the one choice whose text it gives. */
function givenChoice(reply: string, choices: readonly string[]): number | undefined {
  const final = finalAnswerText(reply);
  const letter = choiceLetterOf(final);
  if (letter !== undefined) {
    const index = LETTERS.indexOf(letter);
    return index < choices.length ? index : undefined;
  }
  const said = normaliseAnswer(final);
  const named = choices.flatMap((choice, index) => {
    const text = normaliseAnswer(choice);
    return text && (said === text || said.includes(text)) ? [index] : [];
  });
  return named.length === 1 ? named[0] : undefined;
}
