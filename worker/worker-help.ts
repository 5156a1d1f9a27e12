import { type ProcessHelp, USAGE_EXIT_CODE } from "../config/command-line.js";
import { REPEAT_IS_SAME_MS } from "../config/stop-signals.js";
import { workerSettings } from "../config/worker.js";

/** What `npm run worker -- --help` says, beside the settings (which come from their schema). */
export const WORKER_HELP: ProcessHelp = {
  name: "council worker",
  summary: "Ollama's API for the council's GPU box, with a bearer token, a model allowlist, a queue per model, health and metrics.",
  usage: [
    ["npm run worker", "serves on WORKER_HOST:WORKER_PORT in front of the Ollama at OLLAMA_URL"],
    ["npm run worker -- --help", "prints this help (also -h)"],
    ["npm run worker -- --version", "prints the version (also -v)"],
    ["node --max-semi-space-size=2 dist/worker.mjs", "the same without npm, once `npm run build:worker` has built it: what a service manager runs"],
  ],
  settings: workerSettings,
  stopping: [
    "SIGTERM or Ctrl-C (SIGINT): new requests get 503; generations in flight get WORKER_SHUTDOWN_GRACE_SECONDS to finish, then are cut off and their requests to Ollama aborted; then the worker exits 0. Under `npm run worker` too: npm passes the signal on and waits for the worker.",
    `A second signal, ${REPEAT_IS_SAME_MS / 1000} s or more after the first, cuts the generations off at once, and the worker ends by that signal (exit status 143 for SIGTERM, 130 for SIGINT).`,
  ],
  exitCodes: [
    ["0", "stopped cleanly"],
    ["1", "could not start (a bad setting, named with its fix, or the address in use), or did not stop cleanly"],
    [String(USAGE_EXIT_CODE), "an option other than --help and --version"],
    ["130, 143", "stopped at once by a second SIGINT or SIGTERM"],
  ],
};
