import { z } from "zod";
import { logLevel } from "./logging.js";
import { httpUrl, httpUrlList, optionalText, secret, textWithDefault } from "./settings.js";

export const DEFAULT_PRESETS_FILE = "config/presets.json";

export const botSettings = z.object({
  WORKER_URLS: httpUrlList("http://127.0.0.1:11434").describe(
    "list the workers (or plain Ollamas) that serve the member models, comma-separated, e.g. WORKER_URLS=http://192.168.1.20:8001.",
  ),
  WORKER_TOKEN: secret({ minLength: 16 }).describe(
    "set it to the WORKER_TOKEN of the workers (the same long random string on both machines).",
  ),
  CHAIRMAN_URL: httpUrl("http://127.0.0.1:11434").describe(
    "set it to the Ollama that runs the chairman, usually this machine's: CHAIRMAN_URL=http://127.0.0.1:11434.",
  ),
  COUNCIL_CONFIG: textWithDefault(DEFAULT_PRESETS_FILE).describe(
    `set it to the path of the presets file (default ${DEFAULT_PRESETS_FILE}).`,
  ),
  COUNCIL_PRESET: optionalText().describe("set it to the name of a preset in the presets file, or leave it empty for the file's default."),
  LOG_LEVEL: logLevel(),
});

export type BotConfig = z.output<typeof botSettings>;
