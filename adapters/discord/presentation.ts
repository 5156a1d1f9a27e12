import type { APIEmbed } from "discord.js";
import type { Presentation } from "../shared/live-council.js";
import { renderCard } from "./render-card.js";
import { ballotMessages, type DetailMessage, memberAnswerMessages, verdictMessages } from "./render-details.js";

/** How a council looks on Discord: the card embed, and the thread's messages. */
export function discordPresentation(options: { attachOverChars: number; note?: string; hasDetails: boolean }): Presentation<APIEmbed, DetailMessage> {
  return {
    card: (view) => renderCard(view, { hasDetails: options.hasDetails, ...(options.note && { note: options.note }) }),
    memberAnswered: (member) => memberAnswerMessages(member, options.attachOverChars),
    reviewed: (view) => ballotMessages(view.ballots, view.review),
    finished: (view) => verdictMessages(view, options.attachOverChars),
  };
}
