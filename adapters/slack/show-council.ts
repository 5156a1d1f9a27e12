import type { Logger } from "pino";
import type { CouncilEvent } from "../../src/council/events.js";
import { emptyView } from "../../src/council/view.js";
import { DeliveryError } from "../shared/delivery-error.js";
import { type LiveCouncilResult, presentLive } from "../shared/live-council.js";
import type { Schedule } from "../shared/live-message.js";
import { postTimeline } from "../shared/timeline-image.js";
import { slackPresentation } from "./presentation.js";
import type { MessageRef, SlackApi } from "./slack-api.js";

// One council in a Slack thread: a reply that is the card (updated with chat.update through
// the workspace's shared budget, at least a second apart per message), and the details posted
// under it. The first post throws a DeliveryError (not_in_channel, say) for the caller to
// explain; later failures only stop what they touch.

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
  const card = await api.post(channel, slackPresentation.card(emptyView(options.question)), threadTs);
  options.onCard?.(card);
  const result = await presentLive(options.events, {
    question: options.question,
    presentation: slackPresentation,
    deliverCard: async (message) => {
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
