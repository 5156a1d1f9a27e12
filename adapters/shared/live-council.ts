import type { Logger } from "pino";
import type { CouncilEvent } from "../../src/council/events.js";
import { type DeliberationView, emptyView, type MemberView, reduce } from "../../src/council/view.js";
import type { DeliveryError } from "./delivery-error.js";
import { toDeliveryError } from "./delivery-error.js";
import { createLiveMessage, type LiveOutcome } from "./live-message.js";

// One council shown on a chat platform: the events fold into the view, the card is edited
// through a live message (throttled, coalesced, final state always delivered), and details
// (each member's answer as it arrives, the ballots once reviewed, the final answer) are posted
// in order to the thread. Discord and Slack differ only in how they render and deliver.

export interface Presentation<Card, Detail> {
  card(view: DeliberationView): Card;
  memberAnswered(member: MemberView, view: DeliberationView): Detail[];
  reviewed(view: DeliberationView): Detail[];
  finished(view: DeliberationView): Detail[];
}

export interface LiveCouncilOptions<Card, Detail> {
  question: string;
  presentation: Presentation<Card, Detail>;
  deliverCard(card: Card): Promise<void>;
  /** Absent when there is nowhere to post details (then the card says all there is). */
  postDetail?: (detail: Detail) => Promise<void>;
  minEditIntervalMs: number;
  schedule?: <T>(task: () => Promise<T>) => Promise<T>;
  logger: Logger;
}

export interface LiveCouncilResult {
  view: DeliberationView;
  card: LiveOutcome;
  /** Why details stopped being posted, if they did (the thread was deleted, a permission went missing). */
  detailsStopped?: DeliveryError;
}

export async function presentLive<Card, Detail>(events: AsyncIterable<CouncilEvent>, options: LiveCouncilOptions<Card, Detail>): Promise<LiveCouncilResult> {
  const { presentation, logger } = options;
  const card = createLiveMessage<Card>({
    deliver: options.deliverCard,
    minIntervalMs: options.minEditIntervalMs,
    ...(options.schedule && { schedule: options.schedule }),
    onError: (error) => logger.warn({ kind: error.kind, err: error.cause }, "a card update failed"),
  });
  const details = createDetailQueue(options.postDetail, logger);

  let view = emptyView(options.question);
  for await (const event of events) {
    view = reduce(view, event);
    if (event.type === "member-answered") {
      const member = view.members.find((candidate) => candidate.name === event.member);
      if (member) details.push(presentation.memberAnswered(member, view));
    }
    if (event.type === "ranking") details.push(presentation.reviewed(view));
    // A member's streamed tokens change nothing on the card; everything else may.
    if (event.type !== "member-delta") card.update(presentation.card(view));
  }
  details.push(presentation.finished(view));
  const [cardOutcome, detailsStopped] = await Promise.all([card.finish(presentation.card(view)), details.drain()]);
  return { view, card: cardOutcome, ...(detailsStopped && { detailsStopped }) };
}

/** Posts details one after another, in order; stops for good once the place to post is gone. */
function createDetailQueue<Detail>(post: ((detail: Detail) => Promise<void>) | undefined, logger: Logger) {
  let chain = Promise.resolve();
  let stopped: DeliveryError | undefined;
  return {
    push(items: Detail[]) {
      if (!post) return;
      for (const item of items) {
        chain = chain.then(async () => {
          if (stopped) return;
          try {
            await post(item);
          } catch (error) {
            const failure = toDeliveryError(error);
            if (failure.kind === "gone" || failure.kind === "forbidden") stopped = failure;
            logger.warn({ kind: failure.kind, err: failure.cause }, "a detail message could not be posted");
          }
        });
      }
    },
    drain: async () => {
      await chain;
      return stopped;
    },
  };
}
