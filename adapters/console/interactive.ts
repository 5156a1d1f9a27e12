import { createInterface } from "node:readline";
import { ConfigError } from "../../config/index.js";
import { onePress } from "../../config/stop-signals.js";
import type { Core } from "../../src/core.js";
import type { CouncilRecorder } from "../../src/council-recorder.js";
import { type PriorTurn, QuestionRejectedError } from "../../src/council/engine.js";
import type { Preset } from "../../src/council/preset.js";
import { type Attachment, checkFileCount, FileRefusedError } from "../../src/files/index.js";
import { readFileAt, UnreadablePathError } from "./file-paths.js";
import { followCouncil } from "./follow-council.js";
import { createLineQueue } from "./line-queue.js";
import type { TerminalOutput } from "./live-screen.js";
import { createOutputGate } from "./output-gate.js";
import { presetListLines } from "./preset-list.js";
import { presenterFor } from "./presenters.js";
import { noWorkerReachable, presetLines, probeLines } from "./probe-report.js";

// The console council `npm start` opens when no chat platform is configured: one question per
// line, each answered by a council drawn live; a question follows up on the earlier ones
// until /new.
//
// While a council runs, what is typed is not echoed (it would garble the live frame); a line
// finished with Enter waits its turn and is shown, after the prompt, when it is asked. Ctrl-C
// cancels the council and drops those waiting lines, saying how many. The end of input
// (Ctrl-D, or the end of piped questions) lets the lines already read be answered, then leaves.

export interface ConsoleIo {
  input: NodeJS.ReadableStream;
  output: TerminalOutput & NodeJS.WritableStream;
  /**
   * Where Ctrl-C arrives as SIGINT (the process, by default). On a terminal, readline reads
   * Ctrl-C as a key; with piped questions, or once Ctrl-D ended the input, it is a signal.
   */
  interrupts?: Pick<NodeJS.EventEmitter, "on" | "off">;
  /** Where each council is recorded; none when absent (COUNCIL_RECORD_CONSOLE=off, or the file could not be opened). */
  recorder?: CouncilRecorder;
}

const PROMPT = "\ncouncil> ";

const HELP = [
  "Ask a question and press Enter; the next question follows up on it.",
  "  /new          forget the conversation (and its files) and start afresh",
  "  /file PATH    attach a file to the next question; it stays with the conversation",
  "  /preset       list the presets;  /preset NAME  switch to one",
  "  /quit         leave (or Ctrl-D); Ctrl-C cancels a council",
].join("\n");

export async function runConsole(core: Core, io: ConsoleIo): Promise<void> {
  const say = (text = "") => io.output.write(`${text}\n`);
  say("council: several local models answer, review each other, and a chairman writes the answer.");
  const found = await core.probe();
  say("Servers:");
  probeLines(found).forEach((line) => say(line));
  // Said once: each line above already says what to start and which setting to correct.
  if (noWorkerReachable(found)) say("Questions will fail until the members' server answers.");
  let preset = core.presets.get();
  presetLines(preset, found).forEach((line) => say(line));
  say(`\n${HELP}`);

  // The conversation so far, passed to each council so that a question can follow up.
  let context: PriorTurn[] = [];
  // The files of the conversation: each question carries them all, as a chat thread keeps its files.
  let files: Attachment[] = [];
  let running: AbortController | undefined;
  const gate = createOutputGate(io.output);
  const lines = createInterface({ input: io.input, output: gate.stream, prompt: PROMPT });
  const queue = createLineQueue(lines);
  // Ctrl-C cancels the council in progress; at the prompt, or pressed again, it leaves.
  const interrupt = () => (running && !running.signal.aborted ? running.abort() : lines.close());
  const interrupts = io.interrupts ?? process;
  const signalled = onePress(interrupt);
  lines.on("SIGINT", interrupt);
  interrupts.on("SIGINT", signalled);

  const commands: Record<string, (argument: string) => void> = {
    "/new": () => {
      context = [];
      files = [];
      say("Conversation forgotten: the next question starts afresh.");
    },
    "/preset": (name) => {
      if (name === "") {
        presetListLines(core.presets, preset.name).forEach((line) => say(line));
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
  // Reading a file takes a moment (a PDF's pages), so it is awaited apart from the commands above.
  async function attach(path: string): Promise<void> {
    if (path === "") return void say("Name the file to attach: /file PATH (e.g. /file notes.txt).");
    try {
      checkFileCount(files.length + 1, core.fileLimits);
      const file = await readFileAt(path, core.fileLimits);
      files = [...files, file];
      say(`Attached ${file.name} (${describeFile(file)}); it goes with your next question and its follow-ups.`);
      say(`Files in this conversation: ${files.map((attached) => attached.name).join(", ")} (/new forgets them).`);
    } catch (error) {
      if (!(error instanceof FileRefusedError || error instanceof UnreadablePathError)) throw error;
      say(error.message);
    }
  }

  let quit = false;
  try {
    for (;;) {
      // A closed interface may not prompt (Node 24 throws), and a waiting line needs no prompt.
      if (lines.terminal && !queue.ready() && !queue.ended()) lines.prompt(true);
      const line = await queue.next();
      if (!line) break;
      // Nobody saw this question typed (piped in, or typed while a council was drawn): show it.
      if (!lines.terminal || line.unseen) say(`${PROMPT}${line.text}`);
      const input = line.text.trim();
      quit = input === "/quit" || input === "/exit";
      if (quit) break;
      if (input.startsWith("/")) {
        const [command = "", ...rest] = input.split(/\s+/);
        const run = commands[command];
        // A path keeps its spaces as typed.
        if (command === "/file") await attach(input.slice(command.length).trim());
        else if (run) run(rest.join(" "));
        else say(`There is no command ${command}.\n${HELP}`);
      } else if (input !== "") {
        if (context.length > 0) say(`(following up on ${context.length} earlier ${context.length === 1 ? "question" : "questions"}; /new to start afresh)`);
        const council = new AbortController();
        running = council;
        gate.shut();
        const turn = await askCouncil(core, input, preset, { signal: council.signal, context, attachments: files }, io.output, say, io.recorder);
        gate.open();
        running = undefined;
        if (turn) context = [...context, turn];
        if (council.signal.aborted) {
          const dropped = queue.drop();
          if (dropped > 0) say(`${dropped === 1 ? "The question" : `The ${dropped} questions`} typed during the council ${dropped === 1 ? "was" : "were"} dropped.`);
        }
      }
    }
  } finally {
    interrupts.off("SIGINT", signalled);
    gate.dispose();
    lines.close();
  }
  // Ctrl-D leaves the cursor after the prompt; the shell's prompt belongs on a line of its own.
  if (lines.terminal && !quit) say();
}

/** Runs one council and returns the turn to remember, when it gave an answer. */
async function askCouncil(
  core: Core,
  question: string,
  preset: Preset,
  options: { signal: AbortSignal; context: PriorTurn[]; attachments: Attachment[] },
  output: TerminalOutput,
  say: (text: string) => void,
  recorder: CouncilRecorder | undefined,
): Promise<PriorTurn | undefined> {
  try {
    const { attachments, ...run } = options;
    if (attachments.length > 0) await core.engine.checkAttachments(preset, attachments);
    const events = core.engine.runCouncil(question, preset, { ...run, ...(attachments.length > 0 && { attachments }) });
    const view = await followCouncil(recorder ? recorder.record(question, preset.name, events, attachments) : events, presenterFor(output, { json: false }));
    return view.status !== "failed" && view.verdict ? { question, answer: view.verdict.text } : undefined;
  } catch (error) {
    say(error instanceof QuestionRejectedError ? error.message : `The council stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** "pdf, 2 pages, 48 KB" or "png, 800×600, 120 KB". */
function describeFile(file: Attachment): string {
  const size = file.size < 1024 * 1024 ? `${Math.max(1, Math.round(file.size / 1024))} KB` : `${(file.size / 1024 / 1024).toFixed(1)} MB`;
  if (file.kind === "image") return `${file.type}, ${file.width}×${file.height}, ${size}`;
  const pages = file.pages === undefined ? [] : [`${file.pages} page${file.pages === 1 ? "" : "s"}`];
  return [file.type, ...pages, size].join(", ");
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
