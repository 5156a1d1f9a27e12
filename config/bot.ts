import { z } from "zod";
import { checkDiscordSettings, discordSettings } from "./discord.js";
import { logLevel } from "./logging.js";
import { checkSlackSettings, slackSettings } from "./slack.js";
import { httpUrl, httpUrlList, integer, optionalText, secret, textWithDefault } from "./settings.js";

export const DEFAULT_PRESETS_FILE = "config/presets.json";

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
      "set it to how many councils may run at once across Discord and Slack (default 4); more are refused with a time to retry.",
    ),
    COUNCIL_USER_COOLDOWN_SECONDS: integer({ min: 0, max: 86_400, default: 30 }).describe(
      "set it to the seconds a user waits between two councils (default 30; 0 for none).",
    ),
    LOG_LEVEL: logLevel(),
    ...discordSettings,
    ...slackSettings,
  })
  .superRefine((settings, ctx) => {
    checkDiscordSettings(settings, ctx);
    checkSlackSettings(settings, ctx);
  });

export type BotConfig = z.output<typeof botSettings>;
