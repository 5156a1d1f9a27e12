import { loadDotEnv } from "../../config/dotenv.js";
import { ConfigError, loadBotConfig } from "../../config/index.js";
import { onePress } from "../../config/stop-signals.js";
import type { Core } from "../../src/core.js";
import type { DeliberationView } from "../../src/council/view.js";
import { QuestionRejectedError } from "../../src/council/engine.js";
import { parseCouncilArgs, USAGE, UsageError } from "./args.js";
import { FileRefusedError } from "../../src/files/index.js";
import { readFilesAt, UnreadablePathError } from "./file-paths.js";
import { followCouncil } from "./follow-council.js";
import { oneLine } from "./format.js";
import { helpText } from "./help.js";
import type { TerminalOutput } from "./live-screen.js";
import { openCoreFromEnv } from "./open-core.js";
import { applyOverrides } from "./overrides.js";
import { presenterFor } from "./presenters.js";
import { missingModelLines, noWorkerMessage, noWorkerReachable, unreachableLines } from "./probe-report.js";
import { COUNCIL_VERSION } from "../../config/version.js";
import type { CouncilRecorder } from "../../src/council-recorder.js";
import { consoleRecorder } from "./recording.js";

// `npx council "question"` (bin/council.mjs): one council in the terminal. Exit 0 when it
// completed or gave a partial answer, 1 when it failed, 2 on bad input (a model not installed,
// or a --file that cannot be read or is refused, included: a typo must not run a partial
// council), 130 when cancelled with Ctrl-C.

export const EXIT = { answered: 0, failed: 1, badInput: 2, cancelled: 130 } as const;

export interface CliIo {
  stdout: TerminalOutput;
  stderr: TerminalOutput;
  /** Called once the arguments are valid, so a usage mistake needs no settings. May throw ConfigError. */
  openCore: () => Core;
  /** Called after openCore unless --no-record: where the council is recorded, or undefined for nowhere. */
  openRecorder?: (say: (text: string) => void) => CouncilRecorder | undefined;
  /** Aborting it cancels the council (Ctrl-C). */
  signal?: AbortSignal;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`${text}\n`);
  try {
    const args = parseCouncilArgs(argv);
    if (args.help || args.version) {
      io.stdout.write(args.help ? helpText() : `${COUNCIL_VERSION}\n`);
      return EXIT.answered;
    }
    const core = io.openCore();
    const preset = applyOverrides(core.presets.get(args.preset), args.overrides);
    // Read before anything is asked of a server: a wrong path is the user's to fix at once.
    const attachments = await readFilesAt(args.files, core.fileLimits);
    const found = await core.probe();
    if (noWorkerReachable(found)) {
      say(noWorkerMessage(found));
      return EXIT.badInput;
    }
    unreachableLines(found).forEach(say);
    const missing = missingModelLines(preset, found);
    if (missing.length > 0) {
      say(["The council did not start: a model it needs is not installed.", ...missing.map((line) => `  ${line}`)].join("\n"));
      return EXIT.badInput;
    }
    // An image needs a member that can see (asked of the servers, so after the probe).
    if (attachments.length > 0) await core.engine.checkAttachments(preset, attachments);

    const events = core.engine.runCouncil(args.question, preset, { signal: io.signal, ...(attachments.length > 0 && { attachments }) });
    const recorder = args.record ? io.openRecorder?.(say) : undefined;
    let view: DeliberationView;
    try {
      view = await followCouncil(recorder ? recorder.record(args.question, preset.name, events, attachments) : events, presenterFor(io.stdout, { json: args.json }));
    } finally {
      recorder?.close();
    }
    // The signal rather than view.cancelled: only it cancels the council, and a Ctrl-C that came too late to cut it off still counts.
    if (io.signal?.aborted) {
      say("Cancelled.");
      return EXIT.cancelled;
    }
    if (view.status !== "failed") return EXIT.answered;
    // On a terminal or a pipe the rendered council already says why; --json keeps stdout for the result.
    if (args.json) say(`The council failed: ${oneLine(view.reason ?? "no reason given")}`);
    return EXIT.failed;
  } catch (error) {
    if (error instanceof UsageError) {
      say(`${error.message}\n${USAGE}`);
      return EXIT.badInput;
    }
    if (error instanceof ConfigError || error instanceof QuestionRejectedError || error instanceof FileRefusedError || error instanceof UnreadablePathError) {
      say(error.message);
      return EXIT.badInput;
    }
    if (io.signal?.aborted) {
      say("Cancelled.");
      return EXIT.cancelled;
    }
    say(`The council stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

/** The process around runCli, for bin/council.mjs. */
export async function main(): Promise<void> {
  // The first Ctrl-C cancels the council, which still prints what it has; a second one quits at once.
  const interrupt = new AbortController();
  process.on("SIGINT", onePress(() => (interrupt.signal.aborted ? process.exit(EXIT.cancelled) : interrupt.abort())));
  let config: ReturnType<typeof loadBotConfig> | undefined;
  let core: Core | undefined;
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    openCore: () => {
      loadDotEnv();
      config = loadBotConfig();
      core = openCoreFromEnv(config);
      return core;
    },
    openRecorder: (say) => (config && core ? consoleRecorder(config, core.logger, say) : undefined),
    signal: interrupt.signal,
  });
  // Exit once stdout is flushed, rather than wait for idle keep-alive connections to time out.
  process.stdout.write("", () => process.exit(code));
}
