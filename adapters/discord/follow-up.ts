import type { Logger } from "pino";
import type { PresetCatalog } from "../../config/presets.js";
import type { CouncilService } from "../../src/council-service.js";
import type { FileReference } from "../shared/file-reference.js";
import type { QuestionFiles } from "../shared/question-files.js";
import { refusalText } from "../shared/refusal-text.js";
import type { AccessRules } from "./access.js";
import { DeliveryError } from "../shared/delivery-error.js";
import type { ChannelLimiters } from "./channel-limiters.js";
import type { DiscordApi } from "./discord-api.js";
import { firstCard, type ShownCouncil, showCouncil } from "./show-council.js";

// A message that mentions the bot inside a council thread asks a follow-up: a new council
// whose members see the thread's earlier questions and final answers. Its card is a reply in
// the thread, edited with the bot token (there is no interaction), and its details follow it.
// Files attached to the message join the follow-up (the thread's earlier ones come from the record).

export interface ThreadMessage {
  id: string;
  channelId: string;
  guildId?: string;
  /** The channel the thread hangs from. */
  parentId?: string;
  authorId: string;
  authorIsBot: boolean;
  roles: readonly string[];
  content: string;
  mentionsBot: boolean;
  /** The files attached to the message; they join the follow-up. */
  files: readonly FileReference[];
}

export interface FollowUpDeps {
  presets: PresetCatalog;
  councils: CouncilService;
  api: DiscordApi;
  access: AccessRules;
  botUserId: () => string | undefined;
  logger: Logger;
  attachOverChars: number;
  minEditIntervalMs: number;
  channels: ChannelLimiters;
  /** COUNCIL_TIMELINE: each council's details end with its timeline image. */
  timeline: boolean;
  /** Fetches, reads and checks the message's files. */
  files: QuestionFiles;
}

export function createFollowUpHandler(deps: FollowUpDeps) {
  return async function handleMessage(message: ThreadMessage): Promise<ShownCouncil | undefined> {
    if (message.authorIsBot || !message.mentionsBot || !deps.councils.hasThread(message.channelId)) return undefined;
    const reply = (content: string) =>
      deps.api.postMessage(message.channelId, { content, replyTo: message.id }).catch((error: unknown) => {
        deps.logger.warn({ err: error }, "could not answer a follow-up");
      });
    const denied = deps.access.followUpDenied(message, message);
    if (denied) return void (await reply(denied));

    const cancel = new AbortController();
    const preset = deps.presets.get();
    // A refusal is a reply in the thread, as a bad question's is: a message has no private answer.
    const prepared = await deps.files(message.files, preset, cancel.signal);
    if (!prepared.ready) return void (await reply(prepared.message));
    const opened = deps.councils.open({
      platform: "discord",
      asker: message.authorId,
      question: withoutMention(message.content, deps.botUserId()),
      preset,
      threadKey: message.channelId,
      signal: cancel.signal,
      ...(prepared.attachments.length > 0 && { attachments: prepared.attachments }),
    });
    if (!opened.opened) return void (await reply(refusalText(opened.refusal)));
    const { run } = opened;
    try {
      const card = await deps.api.postMessage(message.channelId, { embeds: [firstCard(run.question, deps.attachOverChars)], replyTo: message.id });
      const cardRef = { channelId: card.channel_id, messageId: card.id };
      run.place(cardRef);
      return await showCouncil({
        events: run.events,
        question: run.question,
        api: deps.api,
        deliverCard: (embed) => deps.api.editMessage(cardRef, { embeds: [embed] }).then(() => undefined),
        detailsTo: (detail) => deps.api.postMessage(message.channelId, detail).then(() => undefined),
        openThread: false,
        cancel,
        attachOverChars: deps.attachOverChars,
        minEditIntervalMs: deps.minEditIntervalMs,
        timeline: deps.timeline,
        schedule: deps.channels.forChannel(message.channelId),
        logger: deps.logger,
      });
    } catch (error) {
      // The thread was deleted or locked under us: nothing to tell, nowhere to tell it.
      if (error instanceof DeliveryError) return void deps.logger.warn({ kind: error.kind, err: error.cause }, "a follow-up council could not be shown");
      throw error;
    } finally {
      cancel.abort();
      run.close();
    }
  };
}

function withoutMention(content: string, botUserId: string | undefined): string {
  return (botUserId ? content.replaceAll(new RegExp(`<@!?${botUserId}>`, "g"), "") : content).trim();
}
