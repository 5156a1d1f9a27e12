import { DEFAULT_PRESETS_FILE } from "../../config/bot.js";

// `npx council --help`: every option, every setting the council reads, every exit code. The
// options are those of args.ts (a test holds the two together), the exit codes those of cli.ts.

export const HELP_OPTIONS: ReadonlyArray<[string, string]> = [
  ["--preset NAME", "a preset from the presets file (default: COUNCIL_PRESET, else the file's default)"],
  ["--members M1,M2,...", "replaces the preset's members by these models, one member each (at least 2)"],
  ["--chairman MODEL", "replaces the chairman's model"],
  ["--strategy S", "synthesis (the chairman writes the answer), best-of, majority or weighted"],
  ["--review R", "ranking (each reviewer ranks all the others) or pairwise (one call per answer)"],
  ["--json", "prints one JSON object on stdout: members, ballots, ranking, verdict, usage, latency"],
  ["-h, --help", "prints this help"],
  ["-v, --version", "prints council's version"],
];

export const HELP_SETTINGS: ReadonlyArray<[string, string]> = [
  ["WORKER_URLS", "the workers (or plain Ollamas) that serve the members, comma-separated (default http://127.0.0.1:11434)"],
  ["CHAIRMAN_URL", "the Ollama that serves the chairman (default http://127.0.0.1:11434)"],
  ["WORKER_TOKEN", "the workers' bearer token"],
  ["COUNCIL_CONFIG", `the presets file (default ${DEFAULT_PRESETS_FILE})`],
  ["COUNCIL_PRESET", "the preset used without --preset (default: the presets file's default)"],
  ["LOG_LEVEL", "log lines on stderr: fatal, error, warn, info, debug or trace (default: errors only)"],
];

export const HELP_EXIT_CODES: ReadonlyArray<[string, string]> = [
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
    ...table(HELP_SETTINGS),
    "",
    "Exit codes:",
    ...table(HELP_EXIT_CODES),
    "",
    "On a terminal the council is drawn live; through a pipe it prints plain lines; with --json, only the JSON goes to stdout.",
    "",
  ].join("\n");
}
