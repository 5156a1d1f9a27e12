import { botSettings } from "../config/bot.js";
import { type ProcessHelp, USAGE_EXIT_CODE } from "../config/command-line.js";
import { REPEAT_IS_SAME_MS } from "../config/stop-signals.js";
import { STOP_NOW_CARDS_MS } from "./council-service.js";

/** What `npm start -- --help` says, beside the settings (which come from their schema). */
export const BOT_HELP: ProcessHelp = {
  name: "council bot",
  summary: "a council of local Ollama models behind Discord and Slack.",
  usage: [
    ["npm start", "serves Discord and/or Slack when DISCORD_TOKEN or SLACK_BOT_TOKEN is set; with neither, opens the console council in this terminal"],
    ["npm start -- --help", "prints this help (also -h)"],
    ["npm start -- --version", "prints the version (also -v)"],
    ["node --max-semi-space-size=2 --optimize-for-size dist/bot.mjs", "the same without npm, once `npm run build:bot` has built it: what a service manager runs"],
  ],
  settings: botSettings,
  stopping: [
    "SIGTERM or Ctrl-C (SIGINT): no new councils; waiting ones are told at once; running ones get COUNCIL_SHUTDOWN_GRACE_SECONDS to finish, then are interrupted and their cards say so; then the bot exits 0. Under `npm start` too: npm passes the signal on and waits for the bot.",
    `A second signal, ${REPEAT_IS_SAME_MS / 1000} s or more after the first, stops at once: the councils still running are recorded as interrupted, their cards get up to ${STOP_NOW_CARDS_MS / 1000} s to say so, and the bot ends by that signal (exit status 143 for SIGTERM, 130 for SIGINT).`,
  ],
  exitCodes: [
    ["0", "stopped cleanly, or the console council was left"],
    ["1", "an unexpected error (the log says where)"],
    [String(USAGE_EXIT_CODE), "could not start: a bad setting, presets file or database (the message names it and the fix), no chat platform set with no terminal for the console council (as under systemd or compose), or an option other than --help and --version"],
    ["130, 143", "stopped at once by a second SIGINT or SIGTERM"],
  ],
};
