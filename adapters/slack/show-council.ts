import type { Logger } from "pino";
import type { CouncilEvent } from "../../src/council/events.js";
import { emptyView } from "../../src/council/view.js";
import { DeliveryError } from "../shared/delivery-error.js";
import { type LiveCouncilResult, presentLive } from "../shared/live-council.js";
import type { Schedule } from "../shared/live-message.js";
import { postTimeline } from "../shared/timeline-image.js";
import { sections } from "./blocks.js";
import { slackPresentation } from "./presentation.js";
import type { MessageRef, SlackApi } from "./slack-api.js";
import { mayHaveBeenApplied } from "./slack-retry-policy.js";

// One council in a Slack thread: a reply that is the card (updated with chat.update through
// the workspace's shared budget, at least a second apart per message), and the details posted
// under it. The first post throws a DeliveryError (not_in_channel, say) for the caller to
// explain; later failures only stop what they touch.
//
// A card post whose answer was lost (a 5xx, a timeout) may have been written: posting another
// could show two cards, and without its ts it cannot be edited. The council then goes on without
// a card: a note in the thread says so, and the details (each answer, the ballots, the final
// answer) carry the council as they always do.

/** Posted in the thread when Slack did not confirm the card. */
export const CARD_UNCONFIRMED_NOTE = "Slack did not confirm this council's card, so it may be missing or stay as it is above. The council goes on: its answers follow in this thread.";

export interface ShowSlackCouncilOptions {
  events: AsyncIterable<CouncilEvent>;
  question: string;
  api: SlackApi;
  channel: string;
  threadTs: string;
  schedule: Schedule;
  minEditIntervalMs: number;
  cancel: AbortController;
  /** Told where the card is once posted, so a restart can find it. */
  onCard?: (card: MessageRef) => void;
  /** Whether the thread ends with the council's timeline image (COUNCIL_TIMELINE). */
  timeline: boolean;
  logger: Logger;
}

export async function showSlackCouncil(options: ShowSlackCouncilOptions): Promise<LiveCouncilResult> {
  const { api, channel, threadTs } = options;
  const card = await postCard(options);
  if (card) options.onCard?.(card);
  const result = await presentLive(options.events, {
    question: options.question,
    presentation: slackPresentation,
    deliverCard: async (message) => {
      // No card to edit: its state is told by the details.
      if (!card) return;
      try {
        await api.update(card, message);
      } catch (error) {
        // The thread or the card was deleted: nobody is left to read this council.
        if (error instanceof DeliveryError && error.kind === "gone") options.cancel.abort(new Error("the card was deleted"));
        throw error;
      }
    },
    postDetail: (message) => api.post(channel, message, threadTs).then(() => undefined),
    minEditIntervalMs: options.minEditIntervalMs,
    schedule: options.schedule,
    logger: options.logger,
  });
  if (options.timeline) {
    await postTimeline(
      result,
      (image) => api.upload({ channel, threadTs, data: image.png, fileName: image.fileName, title: "Timeline", altText: image.description, comment: image.caption }),
      options.logger,
    );
  }
  return result;
}

/** The card's reference, or undefined when Slack may have written it but its answer was lost. */
async function postCard(options: ShowSlackCouncilOptions): Promise<MessageRef | undefined> {
  const { api, channel, threadTs, logger } = options;
  try {
    return await api.post(channel, slackPresentation.card(emptyView(options.question)), threadTs);
  } catch (error) {
    if (!(error instanceof DeliveryError) || !mayHaveBeenApplied(error)) throw error;
    logger.warn({ kind: error.kind, err: error.cause, channel }, "Slack did not confirm the council's card; the council goes on without one");
    await api.post(channel, { text: CARD_UNCONFIRMED_NOTE, blocks: sections(CARD_UNCONFIRMED_NOTE) }, threadTs).catch((noteError: unknown) => logger.warn({ err: noteError }, "the note about the unconfirmed card could not be posted"));
    return undefined;
  }
}
