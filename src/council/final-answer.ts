// Where a reply's final answer is, for strategies that count answers rather than read them:
// a model that reasons first ("6 trays of 7 is 42, so… The answer is 42.") agrees with one that
// answers "42" only if both are cut down to the answer. Kind-aware grading (src/eval) reads the
// same segment and then parses a number or a choice itself.

const LEAD_INS = /^(?:the answer is|answer:|it is|it's)\s+/;
const ARTICLES = /^(?:the|a|an)\s+/;

/** An answer as votes compare it: accents, case, markup, lead-ins ("The answer is"), articles and final punctuation aside, so "Paris." and "paris" agree. */
export function normaliseAnswer(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\*\*|__|`/g, "")
    .trim()
    .replace(LEAD_INS, "")
    .replace(ARTICLES, "")
    .replace(/[\s.!?,;:]+$/g, "")
    .replace(/\s+/g, " ");
}

// The last of these markers wins: a model often restates a draft answer before its final one.
const MARKERS = [
  /####\s*([^\n]+)/g,
  /\\boxed\{([^{}]+)\}/g,
  /\bfinal answer\s*(?:is|:)\s*:?\s*([^\n]+)/gi,
  /\banswer\s*(?:is|:)\s*:?\s*([^\n]+)/gi,
];

/** A number as models write it: a sign (ASCII or Unicode minus), a currency sign, thousands commas, decimals. */
const NUMBER_PATTERN = /(?<![\w.])([-−–]?)[$€£]?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])/g;

/** The text after the reply's last answer marker, up to the end of its sentence or line; undefined when it has no marker. */
export function markedAnswer(reply: string): string | undefined {
  const text = unmarked(reply);
  let best: { at: number; segment: string } | undefined;
  for (const marker of MARKERS) {
    for (const match of text.matchAll(marker)) {
      if (!best || match.index > best.at) best = { at: match.index, segment: match[1] ?? "" };
    }
  }
  // "42. That is because…" keeps "42"; "3.5 km" keeps its decimal point.
  return best?.segment.replace(/\.\s.*$/, "").trim();
}

/** The marked answer, or else the reply's last non-empty line. */
export function finalAnswerText(reply: string): string {
  return markedAnswer(reply) ?? unmarked(reply).split("\n").map((line) => line.trim()).filter(Boolean).at(-1) ?? "";
}

/** Markdown emphasis and code ticks are not part of an answer. */
function unmarked(text: string): string {
  return text.replace(/\*\*|__|`/g, "");
}

/** The numbers in a text, in order, as values: "−1,200.5 m" gives -1200.5. */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(NUMBER_PATTERN)].map((match) => {
    const sign = match[1] ? -1 : 1;
    return sign * Number(`${(match[2] ?? "").replaceAll(",", "")}${match[3] ?? ""}`);
  });
}

/** A lone option letter: "(B)", "B)", "B.", "B". An article ("A dog") is not one. */
export function choiceLetterOf(segment: string): string | undefined {
  const match = /^\(?([A-Za-z])\)?(?:[.:)]?\s*$|\)\s|\.\s|:\s)/.exec(segment.trim()) ?? /^\(([A-Za-z])\)/.exec(segment.trim());
  return match?.[1]?.toUpperCase();
}

export interface VoteKey {
  /** Equal keys are the same answer: "choice:B", "number:42", or the normalised text. */
  key: string;
  /** The answer as the reply wrote it, for the card. */
  shown: string;
}

/** What a reply votes for: its final answer as an option letter, a number, or normalised text. */
export function voteKey(reply: string): VoteKey {
  const shown = finalAnswerText(reply);
  const letter = choiceLetterOf(shown);
  if (letter) return { key: `choice:${letter}`, shown: letter };
  // "42 apples", "$1,200", "-5 degrees": a reply that starts with a number votes for it.
  const leading = /^\s*(?:[-−–]\s?)?[$€£]?\s?\d/.test(shown) ? numbersIn(shown)[0] : undefined;
  if (leading !== undefined && Number.isFinite(leading)) return { key: `number:${leading}`, shown: String(leading) };
  // A last line of only punctuation or markup still votes, as the whole reply.
  const key = normaliseAnswer(shown) || normaliseAnswer(reply) || reply.trim();
  return { key, shown: shown || reply.trim() };
}
