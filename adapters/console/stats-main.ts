import { loadDotEnv } from "../../config/dotenv.js";
import { loadBotConfig } from "../../config/index.js";
import { loadPresets } from "../../config/presets.js";
import { runStats } from "./stats-cli.js";

// The entry of `npm run stats`: the settings of this machine's .env and environment.
runStats(process.argv.slice(2), {
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(`${text}\n`),
  settings() {
    loadDotEnv();
    const config = loadBotConfig();
    return { database: config.COUNCIL_DB, presets: loadPresets(config.COUNCIL_CONFIG, config.COUNCIL_PRESET) };
  },
}).then(
  // Leave once stdout is flushed.
  (code) => process.stdout.write("", () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`council stats failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
