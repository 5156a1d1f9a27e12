import { botSettings } from "../../config/bot.js";
import { type ProcessHelp, USAGE_EXIT_CODE } from "../../config/command-line.js";

/** What `npm run doctor -- --help` says: it checks the settings the bot reads, so it lists those. */
export const DOCTOR_HELP: ProcessHelp = {
  name: "council doctor",
  summary: "checks everything the bot will need (settings, servers, models, Discord, Slack, database), one line each, ✓ or ✗ with the fix.",
  usage: [
    ["npm run doctor", "runs every check, from this machine, with the settings `npm start` would read here"],
    ["npm run doctor -- --help", "prints this help (also -h)"],
    ["npm run doctor -- --version", "prints the version (also -v)"],
  ],
  settings: botSettings,
  stopping: ["Ctrl-C (SIGINT) or SIGTERM stops the checks at once: they only read, apart from creating or upgrading the council database."],
  exitCodes: [
    ["0", "every check passed"],
    ["1", "a check failed (its line says what to fix)"],
    [String(USAGE_EXIT_CODE), "the doctor itself failed (what went wrong is on stderr), or an option other than --help and --version"],
  ],
};
