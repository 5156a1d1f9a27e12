import type { Logger } from "pino";
import type { CouncilService } from "../../src/council-service.js";
import type { CouncilRecord } from "../../src/store/council-record.js";

/** A chat front end as the composition root sees it: started, stopped, and told which cards a previous run left unfinished. */
export interface ChatBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Edits the cards of these councils (those of its platform) to say they were interrupted; resolves with how many it edited. */
  showInterrupted(records: readonly CouncilRecord[]): Promise<number>;
}

/**
 * Starts the bots. The councils a previous run left queued or running are marked interrupted
 * first, before any new council is recorded, and their cards are edited in the background once
 * the bots are up: `shown` resolves with how many were.
 */
export async function startChatBots(bots: readonly ChatBot[], councils: Pick<CouncilService, "recoverInterrupted">, logger: Logger) {
  const interrupted = councils.recoverInterrupted();
  await Promise.all(bots.map((bot) => bot.start()));
  if (interrupted.length > 0) logger.warn({ councils: interrupted.length }, "councils left unfinished by the last run are marked interrupted");
  const shown = Promise.all(bots.map((bot) => bot.showInterrupted(interrupted))).then((counts) => counts.reduce((sum, count) => sum + count, 0));
  return { interrupted, shown };
}
