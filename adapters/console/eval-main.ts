import { loadDotEnv } from "../../config/dotenv.js";
import { loadBotConfig } from "../../config/index.js";
import { runEval } from "./eval-cli.js";
import { openCoreFromEnv } from "./open-core.js";

// The entry of `npm run eval`: this machine's .env and environment, and Ctrl-C. The first
// Ctrl-C stops after cancelling the item in progress (the items done are kept); a second one
// leaves at once.
const stop = new AbortController();
process.on("SIGINT", () => {
  if (stop.signal.aborted) process.exit(130);
  process.stderr.write("\nStopping: the item in progress is cancelled; the items done are kept. Ctrl-C again to leave at once.\n");
  stop.abort();
});

runEval(process.argv.slice(2), {
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(`${text}\n`),
  signal: stop.signal,
  settings() {
    loadDotEnv();
    const core = openCoreFromEnv(loadBotConfig());
    return { presets: core.presets, members: core.members, chairman: core.chairman };
  },
}).then(
  // Leave once stdout is flushed.
  (code) => process.stdout.write("", () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`council eval failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
