import { answerMessages, debateMessages, pairwiseMessages, reviewMessages, synthesisPrefix, synthesisSuffix } from "../src/council/prompts.js";
import { countPromptTokens, countTokens } from "../test-support/fake-ollama/index.js";
import { printTable } from "./stats.js";

// What each prompt costs before the question and the answers are in it: the fixed words every
// call of a kind reads, measured with the fake's tokenizer (the one the figures above use).

const MEMBER = { name: "m", model: "m" };
const labels = (count: number) => Array.from({ length: count }, (_, index) => String.fromCharCode(65 + index));

/** The prompt parts with empty question and answers, in prompt tokens (template tokens included). */
export function fixedPromptParts(): Array<[string, number]> {
  const eight = Array.from({ length: 8 }, (_, index) => ({ id: index + 1, text: "" }));
  return [
    ["answer (system text)", countPromptTokens(answerMessages(MEMBER, "", []))],
    ["ranking review, 2 responses", countPromptTokens(reviewMessages("", labels(2).map((label) => ({ label, text: "" }))))],
    ["ranking review, 7 responses", countPromptTokens(reviewMessages("", labels(7).map((label) => ({ label, text: "" }))))],
    ["pairwise score", countPromptTokens(pairwiseMessages("", ""))],
    ["debate revision, 7 others", countPromptTokens(debateMessages(MEMBER, "", [], "", labels(7).map((label) => ({ label, text: "" }))))],
    ["chairman, read with the question (8 members)", countPromptTokens(synthesisPrefix({ model: "c" }, "", [], eight))],
    ["chairman, after the review, without critiques (8)", countTokens(synthesisSuffix(eight.map((answer) => ({ ...answer, meanScore: 7.5, critiques: [] })), 0.5))],
  ];
}

export function printPromptParts(): void {
  console.log("\n## fixed prompt parts (tokens by the fake's tokenizer, with 4 template tokens a message; no question, no answers)\n");
  printTable(["part", "tokens"], fixedPromptParts().map(([part, tokens]) => [part, String(tokens)]));
}
