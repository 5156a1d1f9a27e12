import { readFileSync } from "node:fs";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { type ProcessHelp, readCommandLine, USAGE_EXIT_CODE } from "./command-line.js";
import { integer, optionalText } from "./settings.js";

// --help and --version of the bot and the worker, on a process described here: the settings'
// lines come from the schema, so what a process reads and what its help says cannot drift.

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

const HELP: ProcessHelp = {
  name: "council thing",
  summary: "a thing that does what things do.",
  usage: [["npm run thing", "runs the thing"]],
  settings: z.object({
    THING_PORT: integer({ min: 1, max: 65_535, default: 8123 }).describe("set it to a free TCP port."),
    THING_NAME: optionalText().describe(
      "set it to the name the thing answers to, a description long enough to be wrapped over more than one line of the help, as a few of the real ones are.",
    ),
  }),
  stopping: ["SIGTERM drains the thing."],
  exitCodes: [
    ["0", "stopped cleanly"],
    ["2", "a bad option"],
  ],
};

/** The text with every run of whitespace made one space, so wrapped lines read as one. */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe("the command line of a council process", () => {
  it("runs on no option at all", () => {
    expect(readCommandLine([], HELP)).toEqual({ action: "run" });
  });

  it.each([["--help"], ["-h"]])("prints the help on %s: usage, every setting with its default and description, stopping, exit codes", (option) => {
    const commandLine = readCommandLine([option], HELP);
    expect(commandLine).toMatchObject({ action: "print", stream: "stdout", exitCode: 0 });
    const text = commandLine.action === "print" ? commandLine.text : "";
    expect(text).toMatch(new RegExp(`^council thing ${VERSION.replaceAll(".", "\\.")}: a thing that does what things do\\.\n`));
    expect(text).toContain("npm run thing");
    expect(text).toContain("THING_PORT (default: 8123)\n      set it to a free TCP port.");
    // No default: none is shown.
    expect(text).toContain("  THING_NAME\n");
    expect(flat(text)).toContain(flat(HELP.settings.shape.THING_NAME?.description ?? "?"));
    expect(text).toContain("SIGTERM drains the thing.");
    expect(text).toMatch(/^ {2}0 {2}stopped cleanly$/m);
    expect(text).toMatch(/^ {2}2 {2}a bad option$/m);
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it.each([["--version"], ["-v"]])("prints the name and the package's version on %s", (option) => {
    expect(readCommandLine([option], HELP)).toEqual({ action: "print", stream: "stdout", text: `council thing ${VERSION}\n`, exitCode: 0 });
  });

  it.each([
    [["--port", "9000"], "'--port'"],
    [["serve"], "'serve'"],
  ])("refuses %j with the option it does not know, the way to configure it, and exit code 2", (args, named) => {
    const commandLine = readCommandLine(args, HELP);
    expect(commandLine).toMatchObject({ action: "print", stream: "stderr", exitCode: USAGE_EXIT_CODE });
    const text = commandLine.action === "print" ? commandLine.text : "";
    expect(text).toContain(named);
    expect(text).toContain("takes no option but --help and --version: its settings come from the environment or .env");
  });
});
