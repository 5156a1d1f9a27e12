import { z } from "zod";
import { botSettings } from "../../config/bot.js";
import { settingLines } from "../../config/command-line.js";

// `npx council --help`: every option, every setting the council reads, every exit code. The
// options are those of args.ts (a test holds the two together), the exit codes those of cli.ts,
// and the settings' lines come from their schema, as in the bot's and the worker's help.

export const HELP_OPTIONS: ReadonlyArray<[string, string]> = [
  ["--preset NAME", "a preset from the presets file (default: COUNCIL_PRESET, else the file's default)"],
  ["--members M1,M2,...", "replaces the preset's members by these models, one member each (at least 2)"],
  ["--chairman MODEL", "replaces the chairman's model"],
  ["--strategy S", "synthesis (the chairman writes the answer), best-of, majority, weighted or vote"],
  ["--review R", "ranking (each reviewer ranks all the others) or pairwise (one call per answer)"],
  ["--file PATH", "attaches a file to the question (repeatable): text, code, CSV, JSON, PDF, DOCX, or an image for members that can see"],
  ["--json", "prints one JSON object on stdout: members, ballots, ranking, verdict, usage, latency"],
  ["--no-record", "keeps this council out of COUNCIL_DB and the statistics (recorded by default)"],
  ["-h, --help", "prints this help"],
  ["-v, --version", "prints council's version"],
];

/** The settings the console council reads, of all the bot's. */
export const HELP_SETTINGS = ["WORKER_URLS", "CHAIRMAN_URL", "WORKER_TOKEN", "COUNCIL_CONFIG", "COUNCIL_PRESET", "COUNCIL_DB", "COUNCIL_RECORD_CONSOLE", "FILE_MAX_COUNT", "FILE_MAX_BYTES", "FILE_MAX_PDF_PAGES", "FILE_MAX_CHARS", "FILE_MAX_IMAGE_PIXELS", "LOG_LEVEL"] as const;

// Built from the shape: zod refuses to .pick() from botSettings, which has refinements.
const consoleSettings = z.object(Object.fromEntries(HELP_SETTINGS.map((key) => [key, botSettings.shape[key]])));

const HELP_EXIT_CODES: ReadonlyArray<[string, string]> = [
  ["0", "the council answered: completed, or partial (some members failed, or the chairman did)"],
  ["1", "the council failed: no member answered"],
  ["2", "bad input or settings, no server of WORKER_URLS answered, or a model is not installed"],
  ["130", "cancelled with Ctrl-C"],
];

function table(rows: ReadonlyArray<[string, string]>): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`);
}

export function helpText(): string {
  return [
    "council: one council of local models in the terminal. Several Ollama models answer your",
    "question, review each other's answers anonymously, and a chairman writes the final answer.",
    "",
    'Usage: npx council "your question" [options]',
    '       npm run council -- "your question" [options]',
    "",
    "Options:",
    ...table(HELP_OPTIONS),
    "",
    "Settings, from the environment or else from .env in the current folder (the whole .env is checked):",
    ...settingLines(consoleSettings),
    "  In the console, LOG_LEVEL's default is errors only (info, above, is the chat bots').",
    "",
    "Exit codes:",
    ...table(HELP_EXIT_CODES),
    "",
    "On a terminal the council is drawn live; through a pipe it prints plain lines; with --json, only the JSON goes to stdout.",
    "",
  ].join("\n");
}
