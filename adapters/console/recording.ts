import { userInfo } from "node:os";
import type { BotConfig } from "../../config/index.js";
import type { Logger } from "../../config/logger.js";
import { type CouncilRecorder, openCouncilRecorder } from "../../src/council-recorder.js";
import { StoreOpenError } from "../../src/store/open-database.js";

// Whether and where the terminal's councils are recorded: in COUNCIL_DB, like the chat bots'
// (so the statistics count them), unless COUNCIL_RECORD_CONSOLE=off or --no-record. A file
// that cannot be opened costs the record, never the answer: the terminal says so and goes on.

export function consoleRecorder(
  config: Pick<BotConfig, "COUNCIL_DB" | "COUNCIL_RECORD_CONSOLE">,
  logger: Logger,
  say: (text: string) => void,
): CouncilRecorder | undefined {
  if (config.COUNCIL_RECORD_CONSOLE === "off") return undefined;
  try {
    return openCouncilRecorder(config.COUNCIL_DB, asker(), logger);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    say(`Councils asked here are not recorded: ${error.message} (--no-record, or COUNCIL_RECORD_CONSOLE=off, skips the record.)`);
    return undefined;
  }
}

function asker(): string {
  try {
    return userInfo().username;
  } catch {
    return "console";
  }
}
