import { parseArgs } from "node:util";
import type { z } from "zod";
import { COUNCIL_VERSION } from "./version.js";

// The command line of the bot and the worker: both are configured by settings, not options, so
// `--help` and `--version` are all they take. The help lists the settings from the schema the
// process loads (its keys, defaults and descriptions, the same text a bad value's error shows),
// so it cannot drift from what the process reads.

/** What `--help` says about a process, beside its settings. */
export interface ProcessHelp {
  /** "council bot" */
  name: string;
  /** One line: what the process is. */
  summary: string;
  /** How to run it: [command, what it does]. */
  usage: ReadonlyArray<readonly [string, string]>;
  settings: z.ZodObject;
  /** What SIGTERM and SIGINT do, a paragraph each. */
  stopping: readonly string[];
  exitCodes: ReadonlyArray<readonly [string, string]>;
}

export type CommandLine = { action: "run" } | { action: "print"; stream: "stdout" | "stderr"; text: string; exitCode: 0 | 2 };

/** The exit code of a command line the process does not understand. */
export const USAGE_EXIT_CODE = 2;

const WIDTH = 100;


export function readCommandLine(args: readonly string[], help: ProcessHelp): CommandLine {
  let values: { help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const text = `${help.name}: ${(error as Error).message}\n${help.name} takes no option but --help and --version: its settings come from the environment or .env (see --help).\n`;
    return { action: "print", stream: "stderr", text, exitCode: USAGE_EXIT_CODE };
  }
  if (values.help) return { action: "print", stream: "stdout", text: helpText(help), exitCode: 0 };
  if (values.version) return { action: "print", stream: "stdout", text: `${help.name} ${COUNCIL_VERSION}\n`, exitCode: 0 };
  return { action: "run" };
}

/** Prints what the command line asked for; true when the process should run instead. */
export function runsAfterCommandLine(args: readonly string[], help: ProcessHelp): boolean {
  const commandLine = readCommandLine(args, help);
  if (commandLine.action === "run") return true;
  process[commandLine.stream].write(commandLine.text);
  process.exitCode = commandLine.exitCode;
  return false;
}

function helpText(help: ProcessHelp): string {
  const usageWidth = Math.max(...help.usage.map(([command]) => command.length)) + 2;
  const codeWidth = Math.max(...help.exitCodes.map(([code]) => code.length)) + 2;
  return [
    `${help.name} ${COUNCIL_VERSION}: ${help.summary}`,
    "",
    "Usage:",
    ...help.usage.flatMap(([command, what]) => hang(`  ${command.padEnd(usageWidth)}`, what)),
    "",
    "Settings, from the environment or from .env in the working directory (the environment wins;",
    ".env.example has each one with a comment):",
    ...settingLines(help.settings),
    "",
    "Stopping:",
    ...help.stopping.flatMap((paragraph) => hang("  - ", paragraph)),
    "",
    "Exit codes:",
    ...help.exitCodes.flatMap(([code, meaning]) => hang(`  ${code.padEnd(codeWidth)}`, meaning)),
    "",
  ].join("\n");
}

/** Each setting of `settings` with its default, and its description wrapped under it. */
export function settingLines(settings: z.ZodObject): string[] {
  return Object.entries(settings.shape).flatMap(([key, schema]) => {
    const fallback = defaultOf(schema as z.ZodType);
    const description = (schema as z.ZodType).description ?? "";
    return [`  ${key}${fallback === undefined ? "" : ` (default: ${fallback})`}`, ...wrap(description, "      ")];
  });
}

/** The value a setting takes when it is not set, as it would be written; undefined when there is none. */
function defaultOf(schema: z.ZodType): string | undefined {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return undefined;
  return Array.isArray(parsed.data) ? parsed.data.join(",") : String(parsed.data);
}

/** `lead` then `text` wrapped beside it, continuation lines indented to the text. */
function hang(lead: string, text: string): string[] {
  const [first = "", ...rest] = wrap(text, " ".repeat(lead.length));
  return [lead + first.trimStart(), ...rest];
}

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}
