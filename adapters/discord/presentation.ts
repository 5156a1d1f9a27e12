import type { APIEmbed } from "discord.js";
import type { Presentation } from "../shared/live-council.js";
import { detailWithLinkTargets, embedWithLinkTargets } from "./link-targets.js";
import { renderCard } from "./render-card.js";
import { ballotMessages, type DetailMessage, memberAnswerMessages, verdictMessages } from "./render-details.js";

/** How a council looks on Discord: the card embed, and the thread's messages, with no link disguised. */
export function discordPresentation(options: { attachOverChars: number; note?: string; hasDetails: boolean }): Presentation<APIEmbed, DetailMessage> {
  return {
    card: (view) => embedWithLinkTargets(renderCard(view, { hasDetails: options.hasDetails, ...(options.note && { note: options.note }) })),
    memberAnswered: (member) => memberAnswerMessages(member, options.attachOverChars).map(detailWithLinkTargets),
    reviewed: (view) => ballotMessages(view.ballots, view.review).map(detailWithLinkTargets),
    finished: (view) => verdictMessages(view, options.attachOverChars).map(detailWithLinkTargets),
  };
}
