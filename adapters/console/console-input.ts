import { fstatSync } from "node:fs";
import { isatty } from "node:tty";

// The console council is what `npm start` opens with no chat platform set. Under systemd or
// compose its standard input is /dev/null, so it would read the end of its questions at once
// and leave with exit 0: the service looks stopped cleanly (compose restarts it for ever), and
// nobody is told that the chat tokens are missing.

/**
 * Whether questions can reach the console council on this input: a terminal, a pipe or a file
 * can bring them; /dev/null (or any other device that is not a terminal) and a closed input
 * cannot.
 */
export function inputCanAsk(fd = 0): boolean {
  if (isatty(fd)) return true;
  try {
    return !fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

/** Why the bot does not start: no chat platform, and no one to ask the console council. */
export const NO_PLATFORM_NOR_TERMINAL =
  "No chat platform is set (DISCORD_TOKEN with DISCORD_APP_ID, or SLACK_BOT_TOKEN), and the console council that runs without one has no terminal to read questions from (its standard input is /dev/null, as under systemd or compose).";

export const SET_A_PLATFORM =
  "set the tokens of Discord or Slack in .env (see .env.example), or run the console council in a terminal: `npm start`, or `docker compose run --rm bot`.";
