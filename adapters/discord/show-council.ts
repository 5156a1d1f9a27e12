import type { APIEmbed } from "discord.js";
import type { Logger } from "pino";
import type { CouncilEvent } from "../../src/council/events.js";
import { emptyView } from "../../src/council/view.js";
import { DeliveryError } from "../shared/delivery-error.js";
import { type LiveCouncilResult, presentLive } from "../shared/live-council.js";
import type { Schedule } from "../shared/live-message.js";
import { postTimeline } from "../shared/timeline-image.js";
import type { DiscordApi, MessageRef } from "./discord-api.js";
import { discordPresentation } from "./presentation.js";
import { threadName } from "./render-card.js";
import type { DetailMessage } from "./render-details.js";

// Shows one council on Discord once its card exists: opens the thread (or falls back to
// replies when threads are not allowed), then keeps the card and the thread up to date. A card
// deleted mid-council never stops the bot: the council finishes in the thread, or is cancelled
// when there is nowhere left to show it.

const THREADS_FORBIDDEN_NOTE = "I may not create threads here, so the details follow as replies to this card.";

export interface ShowCouncilOptions {
  events: AsyncIterable<CouncilEvent>;
  question: string;
  api: DiscordApi;
  /** Edits the card; throws DeliveryError. */
  deliverCard: (embed: APIEmbed) => Promise<void>;
  /** The card as a channel message, when it is one (not a private reply). */
  cardRef?: MessageRef;
  /** Where details go instead of a new thread: an existing thread, or private follow-ups. */
  detailsTo?: (detail: DetailMessage) => Promise<void>;
  /** Opens a thread on the card for the details (a council started by /council). */
  openThread: boolean;
  /** Told the thread's id once it is open, so follow-ups asked there find this council. */
  onThread?: (threadId: string) => void;
  cancel: AbortController;
  attachOverChars: number;
  minEditIntervalMs: number;
  /** The card's channel's shared edit budget. */
  schedule: Schedule;
  /** Whether the details end with the council's timeline image (COUNCIL_TIMELINE). */
  timeline: boolean;
  logger: Logger;
}

export interface ShownCouncil extends LiveCouncilResult {
  /** The thread that holds the details, for follow-ups. */
  threadId?: string;
}

export async function showCouncil(options: ShowCouncilOptions): Promise<ShownCouncil> {
  const { api, cardRef, logger } = options;
  let postDetail = options.detailsTo;
  let threadId: string | undefined;
  let note: string | undefined;

  if (options.openThread && cardRef) {
    try {
      threadId = (await api.startThread(cardRef, threadName(options.question))).id;
      const id = threadId;
      options.onThread?.(id);
      postDetail = (detail) => api.postMessage(id, detail).then(() => undefined);
    } catch (error) {
      if (!(error instanceof DeliveryError) || (error.kind !== "forbidden" && error.kind !== "invalid")) throw error;
      logger.warn({ kind: error.kind, err: error.cause, channel: cardRef.channelId }, "cannot create a thread here; replying to the card instead");
      note = THREADS_FORBIDDEN_NOTE;
      postDetail = (detail) => api.postMessage(cardRef.channelId, { ...detail, replyTo: cardRef.messageId }).then(() => undefined);
    }
  }

  const deliverCard = async (embed: APIEmbed) => {
    try {
      await options.deliverCard(embed);
    } catch (error) {
      // Nowhere left to show the council: stop spending the GPU on it.
      if (error instanceof DeliveryError && error.kind === "gone" && !postDetail) options.cancel.abort(new Error("the card was deleted"));
      throw error;
    }
  };
  const presentation = discordPresentation({ attachOverChars: options.attachOverChars, hasDetails: postDetail !== undefined, ...(note && { note }) });
  const result = await presentLive(options.events, {
    question: options.question,
    presentation,
    deliverCard,
    ...(postDetail && { postDetail }),
    minEditIntervalMs: options.minEditIntervalMs,
    schedule: options.schedule,
    logger,
  });
  // Where the details went (the thread, replies to the card, or private follow-ups), after them.
  const post = postDetail;
  if (options.timeline && post) {
    await postTimeline(result, (image) => post({ content: image.caption, files: [{ name: image.fileName, data: image.png, contentType: "image/png", description: image.description }] }), logger);
  }
  return { ...result, ...(threadId && { threadId }) };
}

/** The card before anything happened: posted at once, so the thread has a message to hang on. */
export function firstCard(question: string, attachOverChars: number): APIEmbed {
  return discordPresentation({ attachOverChars, hasDetails: false }).card(emptyView(question));
}
