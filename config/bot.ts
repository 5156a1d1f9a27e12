import { z } from "zod";
import { checkDiscordSettings, discordSettings } from "./discord.js";
import { fileSettings } from "./files.js";
import { logLevel } from "./logging.js";
import { checkSlackSettings, slackSettings } from "./slack.js";
import { httpUrl, httpUrlList, integer, oneOf, optionalPort, optionalText, secret, textWithDefault } from "./settings.js";

export const DEFAULT_PRESETS_FILE = "config/presets.json";
export const DEFAULT_DATABASE_FILE = "data/council.db";

export const botSettings = z
  .object({
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
    COUNCIL_MAX_IN_FLIGHT: integer({ min: 1, max: 100, default: 4 }).describe(
      "set it to how many councils may run at once across Discord and Slack (default 4); more wait their turn.",
    ),
    COUNCIL_QUEUE_MAX: integer({ min: 1, max: 10_000, default: 50 }).describe(
      "set it to how many councils may wait for a free seat, all users together (default 50); beyond it, askers are told when to retry.",
    ),
    COUNCIL_USER_QUEUE: integer({ min: 0, max: 100, default: 3 }).describe(
      "set it to how many of one user's councils may wait behind the one that runs (default 3; 0 for none).",
    ),
    COUNCIL_USER_PER_HOUR: integer({ min: 0, max: 10_000, default: 30 }).describe(
      "set it to how many councils one user may ask in any hour (default 30; 0 for no limit).",
    ),
    COUNCIL_DB: textWithDefault(DEFAULT_DATABASE_FILE).describe(
      `set it to the path of the SQLite file that records the councils (default ${DEFAULT_DATABASE_FILE}; its folder is created).`,
    ),
    COUNCIL_RECORD_CONSOLE: oneOf(["on", "off"], "on").describe(
      "set it to off to keep the terminal's councils (npm start with no chat platform, npm run council) out of COUNCIL_DB and the statistics (default on).",
    ),
    COUNCIL_TIMELINE: oneOf(["on", "off"], "on").describe(
      "set it to off to end the councils' threads on Discord and Slack without the image of their model calls' timeline (default on).",
    ),
    COUNCIL_SHUTDOWN_GRACE_SECONDS: integer({ min: 0, max: 3600, default: 30 }).describe(
      "set it to how long running councils may go on after SIGTERM before they are interrupted (default 30).",
    ),
    METRICS_PORT: optionalPort().describe(
      "set it to a free TCP port to serve Prometheus metrics at /metrics (e.g. METRICS_PORT=9464), or leave it empty for none.",
    ),
    METRICS_HOST: textWithDefault("127.0.0.1").describe(
      "set it to the address /metrics listens on: 127.0.0.1 (the default) for this machine only, 0.0.0.0 for the network (anyone who reaches it reads it: no token).",
    ),
    FILE_MAX_BYTES: integer({ min: 1, max: 1024 ** 3, default: 10 * 1024 * 1024 }).describe(
      "set it to the size, in bytes, of the largest file the council accepts (default 10485760, 10 MB); larger ones are refused, even while they download.",
    ),
    FILE_DOWNLOAD_TIMEOUT_SECONDS: integer({ min: 1, max: 600, default: 30 }).describe(
      "set it to how long fetching one attached file from Discord or Slack may take, in seconds (default 30).",
    ),
    ...fileSettings,
    LOG_LEVEL: logLevel(),
    ...discordSettings,
    ...slackSettings,
  })
  .superRefine((settings, ctx) => {
    checkDiscordSettings(settings, ctx);
    checkSlackSettings(settings, ctx);
  });

export type BotConfig = z.output<typeof botSettings>;
