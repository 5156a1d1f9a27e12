import { parseArgs } from "node:util";
import type { ReviewMode, Strategy } from "../../src/council/preset.js";
import type { PresetOverrides } from "./overrides.js";

// The command line of `npx council` (and `npm run council --`). Every mistake gets a message
// that names the fix, followed by the usage line.

export const USAGE = `Usage: npx council "your question" [--preset NAME] [--members MODEL,MODEL,...] [--chairman MODEL] [--strategy synthesis|best-of|majority|weighted|vote] [--review ranking|pairwise] [--file PATH]... [--json] [--no-record] [--help] [--version]`;

/** Every option, as node:util's parseArgs takes them; --help describes each. */
export const OPTIONS = {
  preset: { type: "string" },
  members: { type: "string" },
  chairman: { type: "string" },
  strategy: { type: "string" },
  review: { type: "string" },
  /** Repeatable: each file goes with the question. */
  file: { type: "string", multiple: true },
  json: { type: "boolean" },
  /** --no-record keeps this council out of COUNCIL_DB and the statistics. */
  record: { type: "boolean", default: true },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

const STRATEGIES: readonly Strategy[] = ["synthesis", "best-of", "majority", "weighted", "vote"];
const REVIEW_MODES: readonly ReviewMode[] = ["ranking", "pairwise"];

export interface CouncilArgs {
  question: string;
  /** Undefined: the default preset (COUNCIL_PRESET, or the presets file's default). */
  preset?: string;
  overrides: PresetOverrides;
  /** Paths of files that go with the question (--file, in order). */
  files: string[];
  json: boolean;
  /** Recorded in COUNCIL_DB (unless --no-record). */
  record: boolean;
  help: boolean;
  version: boolean;
}

/** Bad command-line input; the message says what to change. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly kind = "usage";
}

export function parseCouncilArgs(argv: readonly string[]): CouncilArgs {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help || values.version) return { question: "", overrides: {}, files: [], json: false, record: false, help: values.help === true, version: values.help !== true };
  // Several words are one question, so an unquoted question still works.
  const question = positionals.join(" ").trim();
  if (question === "") {
    throw new UsageError(
      positionals.length === 0
        ? 'No question given: put it in quotes, e.g. npx council "Why is the sky blue?"'
        : "The question is empty: write something between the quotes.",
    );
  }
  return {
    question,
    preset: values.preset === undefined ? undefined : nonEmpty("--preset", values.preset, "a preset name from the presets file"),
    overrides: {
      members: values.members === undefined ? undefined : modelList(values.members),
      chairman: values.chairman === undefined ? undefined : nonEmpty("--chairman", values.chairman, "an Ollama model name, e.g. llama3.1:8b"),
      strategy: values.strategy === undefined ? undefined : oneOf("--strategy", values.strategy, STRATEGIES),
      review: values.review === undefined ? undefined : oneOf("--review", values.review, REVIEW_MODES),
    },
    files: (values.file ?? []).map((path) => nonEmpty("--file", path, "the path of a file, e.g. --file notes.txt")),
    json: values.json ?? false,
    record: values.record,
    help: false,
    version: false,
  };
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (error) {
    // parseArgs says what is wrong ("Unknown option '--foo'", "Option '--preset' argument
    // missing"); the usage line that follows says what is right.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.replace(/\.?$/, ".")} The options are listed below.`);
  }
}

function nonEmpty(option: string, value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed === "") throw new UsageError(`${option} is empty: give it ${what}.`);
  return trimmed;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value.trim().toLowerCase());
  if (!found) throw new UsageError(`${option} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}: pick one of those.`);
  return found;
}

function modelList(value: string): string[] {
  const models = value.split(",").map((model) => model.trim()).filter((model) => model !== "");
  // A council of one cannot review itself; the presets file has the same rule.
  if (models.length < 2) {
    throw new UsageError(`--members needs at least 2 models, comma-separated, e.g. --members llama3.2:3b,qwen2.5:3b (got ${JSON.stringify(value)}).`);
  }
  return models;
}
