import type { Presentation } from "../shared/live-council.js";
import type { SlackMessage } from "./blocks.js";
import { renderCard } from "./render-card.js";
import { ballotMessages, memberAnswerMessages, verdictMessages } from "./render-details.js";

export const slackPresentation: Presentation<SlackMessage, SlackMessage> = {
  card: renderCard,
  memberAnswered: (member) => memberAnswerMessages(member),
  reviewed: (view) => ballotMessages(view.ballots, view.review),
  finished: (view) => verdictMessages(view),
};
