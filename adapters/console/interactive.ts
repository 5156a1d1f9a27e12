import { createInterface } from "node:readline";
import { ConfigError } from "../../config/index.js";
import type { Core } from "../../src/core.js";
import { type PriorTurn, QuestionRejectedError } from "../../src/council/engine.js";
import type { Preset } from "../../src/council/preset.js";
import { followCouncil } from "./follow-council.js";
import type { TerminalOutput } from "./live-screen.js";
import { presenterFor } from "./presenters.js";
import { CHECK_SERVERS, noWorkerReachable, presetLines, probeLines } from "./probe-report.js";

// The console council `npm start` opens when no chat platform is configured: one question per
// line, each answered by a council drawn live; a question follows up on the earlier ones
// until /new.

export interface ConsoleIo {
  input: NodeJS.ReadableStream;
  output: TerminalOutput & NodeJS.WritableStream;
}

const HELP = [
  "Ask a question and press Enter; the next question follows up on it.",
  "  /new          forget the conversation and start afresh",
  "  /preset       list the presets;  /preset NAME  switch to one",
  "  /quit         leave (or Ctrl-D)",
].join("\n");

export async function runConsole(core: Core, io: ConsoleIo): Promise<void> {
  const say = (text = "") => io.output.write(`${text}\n`);
  say("council: several local models answer, review each other, and a chairman writes the answer.");
  const found = await core.probe();
  say("Servers:");
  probeLines(found).forEach((line) => say(line));
  if (noWorkerReachable(found)) say(`No worker answered, so questions will fail until one does. ${CHECK_SERVERS}`);
  let preset = core.presets.get();
  presetLines(preset, found).forEach((line) => say(line));
  say(`\n${HELP}`);

  // The conversation so far, passed to each council so that a question can follow up.
  let context: PriorTurn[] = [];
  let running: AbortController | undefined;
  const lines = createInterface({ input: io.input, output: io.output, prompt: "\ncouncil> " });
  // On a terminal, Ctrl-C cancels the council in progress, or leaves at the prompt.
  lines.on("SIGINT", () => (running ? running.abort() : lines.close()));

  const commands: Record<string, (argument: string) => void> = {
    "/new": () => {
      context = [];
      say("Conversation forgotten: the next question starts afresh.");
    },
    "/preset": (name) => {
      if (name === "") {
        say(`Presets: ${core.presets.names.map((each) => (each === preset.name ? `${each} (current)` : each)).join(", ")}`);
        return;
      }
      const next = presetNamed(core, name, say);
      if (next) {
        preset = next;
        presetLines(preset, found).forEach((line) => say(line));
      }
    },
    "/help": () => say(HELP),
  };

  // Input can end (Ctrl-D, or the end of piped questions) while a council runs; the lines
  // already read are still answered, but a closed interface may not prompt again.
  let inputEnded = false;
  lines.once("close", () => (inputEnded = true));
  const prompt = () => {
    if (!inputEnded) lines.prompt();
  };

  let quit = false;
  prompt();
  for await (const line of lines) {
    const input = line.trim();
    quit = input === "/quit" || input === "/exit";
    if (quit) break;
    if (input.startsWith("/")) {
      const [command = "", ...rest] = input.split(/\s+/);
      const run = commands[command];
      if (run) run(rest.join(" "));
      else say(`There is no command ${command}.\n${HELP}`);
    } else if (input !== "") {
      if (context.length > 0) say(`(following up on ${context.length} earlier ${context.length === 1 ? "question" : "questions"}; /new to start afresh)`);
      running = new AbortController();
      const turn = await askCouncil(core, input, preset, { signal: running.signal, context }, io.output, say);
      running = undefined;
      if (turn) context = [...context, turn];
    }
    prompt();
  }
  // Ctrl-D leaves the cursor after the prompt; the shell's prompt belongs on a line of its own.
  if (!quit) say();
}

/** Runs one council and returns the turn to remember, when it gave an answer. */
async function askCouncil(
  core: Core,
  question: string,
  preset: Preset,
  options: { signal: AbortSignal; context: PriorTurn[] },
  output: TerminalOutput,
  say: (text: string) => void,
): Promise<PriorTurn | undefined> {
  try {
    const view = await followCouncil(core.engine.runCouncil(question, preset, options), presenterFor(output, { json: false }));
    return view.status !== "failed" && view.verdict ? { question, answer: view.verdict.text } : undefined;
  } catch (error) {
    say(error instanceof QuestionRejectedError ? error.message : `The council stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function presetNamed(core: Core, name: string, say: (text: string) => void): Preset | undefined {
  try {
    return core.presets.get(name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(error.message);
    return undefined;
  }
}
