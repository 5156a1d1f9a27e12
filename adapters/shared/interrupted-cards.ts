import type { Logger } from "pino";
import { emptyView, reduce } from "../../src/council/view.js";
import type { DeliberationView } from "../../src/council/view.js";
import type { CouncilRecord } from "../../src/store/council-record.js";

// After a restart, the cards of the councils the last run left unfinished still say
// "thinking". Each is edited once to say the council was interrupted and to ask again; a card
// that is gone or cannot be edited is logged and skipped, never retried at start-up's expense.

export interface InterruptedCardsOptions<Place> {
  platform: string;
  /** The platform's message reference from a record's place, or undefined when it has none it can edit. */
  placeOf(record: CouncilRecord): Place | undefined;
  edit(place: Place, view: DeliberationView): Promise<void>;
  logger: Logger;
}

export async function showInterrupted<Place>(records: readonly CouncilRecord[], options: InterruptedCardsOptions<Place>): Promise<number> {
  let edited = 0;
  for (const record of records) {
    if (record.platform !== options.platform) continue;
    const place = options.placeOf(record);
    if (place === undefined) continue;
    try {
      await options.edit(place, interruptedView(record));
      edited += 1;
    } catch (error) {
      options.logger.warn({ council: record.id, err: error }, "could not mark an interrupted council's card");
    }
  }
  return edited;
}

function interruptedView(record: Pick<CouncilRecord, "question" | "reason">): DeliberationView {
  return reduce(emptyView(record.question), { type: "interrupted", reason: record.reason ?? "the council was interrupted. Please ask again." });
}
