import { type APIInteractionResponse, InteractionResponseType } from "discord.js";
import type { Logger } from "pino";
import type { CouncilService, Opened } from "../../src/council-service.js";
import type { PresetCatalog } from "../../config/presets.js";
import { deliverWithRetries } from "../shared/delivery-error.js";
import type { QuestionFiles } from "../shared/question-files.js";
import { refusalText } from "../shared/refusal-text.js";
import type { AccessRules } from "./access.js";
import { interactionFiles } from "./attached-files.js";
import { createCardRoute } from "./card-route.js";
import type { ChannelLimiters } from "./channel-limiters.js";
import type { DiscordApi } from "./discord-api.js";
import { type CommandInteraction, createdAt, option, userOf } from "./interaction.js";
import { firstCard, type ShownCouncil, showCouncil } from "./show-council.js";

// /council question:<text> [preset] [private] [file] [file2]: acknowledge at once (Discord
// allows 3 s), post the card, open a thread on it, and edit the card as the council goes while
// the thread gets the details. A refusal (access, a full queue, a bad question, a file it cannot
// read) is a private message saying why. Without files the council is taken before the
// acknowledgement, so a refusal is the private reply itself; with files the reply is deferred
// first, as fetching them may take longer than the 3 s.

/** Acknowledges the interaction: a callback over REST (gateway) or the HTTP response itself. */
export type Ack = (response: APIInteractionResponse) => Promise<void>;

export interface CouncilCommandDeps {
  presets: PresetCatalog;
  councils: CouncilService;
  api: DiscordApi;
  access: AccessRules;
  logger: Logger;
  attachOverChars: number;
  minEditIntervalMs: number;
  channels: ChannelLimiters;
  /** COUNCIL_TIMELINE: each council's details end with its timeline image. */
  timeline: boolean;
  /** Fetches, reads and checks the files given to /council's file options. */
  files: QuestionFiles;
  now?: () => number;
}

export function privateReply(content: string): APIInteractionResponse {
  return { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: 64, allowed_mentions: { parse: [] } } };
}

/**
 * Says a refusal privately once the reply was deferred: a private reply is edited into it; a
 * public one is taken back (it only said "thinking") and the refusal follows as a private message.
 */
async function refuseDeferred(api: DiscordApi, token: string, ephemeral: boolean, text: string): Promise<void> {
  if (ephemeral) return void (await api.editOriginal(token, { content: text }));
  await api.deleteOriginal(token);
  await api.followUp(token, { content: text, ephemeral: true });
}

export function createCouncilCommand(deps: CouncilCommandDeps) {
  return async function handleCouncil(interaction: CommandInteraction, ack: Ack): Promise<ShownCouncil | undefined> {
    const user = userOf(interaction);
    const denied = deps.access.councilDenied(interaction, user);
    if (denied) return void (await ack(privateReply(denied)));

    const question = option<string>(interaction, "question") ?? "";
    const ephemeral = option<boolean>(interaction, "private") === true;
    let preset;
    try {
      preset = deps.presets.get(option<string>(interaction, "preset"));
    } catch (error) {
      return void (await ack(privateReply((error as Error).message)));
    }
    const cancel = new AbortController();
    const request = { platform: "discord", asker: user.id, question, preset, signal: cancel.signal };
    const deferred = () => ack({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: 64 } : {} });
    const files = interactionFiles(interaction);
    let opened: Opened;
    if (files.length === 0) {
      opened = deps.councils.open(request);
      if (!opened.opened) return void (await ack(privateReply(refusalText(opened.refusal))));
    } else {
      // Fetching and reading files takes longer than the 3 s Discord gives the acknowledgement.
      await deferred();
      const prepared = await deps.files(files, preset, cancel.signal);
      opened = prepared.ready ? deps.councils.open({ ...request, attachments: prepared.attachments }) : { opened: false, refusal: { kind: "question", message: prepared.message } };
      if (!opened.opened) return void (await refuseDeferred(deps.api, interaction.token, ephemeral, refusalText(opened.refusal)));
    }
    const { run } = opened;
    try {
      if (files.length === 0) await deferred();
      const card = createCardRoute({ api: deps.api, token: interaction.token, issuedAt: createdAt(interaction), ephemeral, ...(deps.now && { now: deps.now }) });
      const schedule = deps.channels.forChannel(interaction.channel.id);
      try {
        // Turning the deferred reply into the card is an edit too, and spends from the channel's
        // budget. It is what the thread hangs on and what a restart finds, so it is worth retrying.
        await deliverWithRetries(() => schedule(() => card.deliver(firstCard(run.question, deps.attachOverChars))));
      } catch (error) {
        // The live card keeps trying; without a first card there is just no thread to open.
        deps.logger.warn({ err: error }, "the first card could not be shown");
      }
      const cardRef = card.ref();
      // A private card cannot be found again after a restart: only a channel message is recorded.
      if (cardRef && !ephemeral) run.place(cardRef);
      return await showCouncil({
        events: run.events,
        question: run.question,
        api: deps.api,
        deliverCard: card.deliver,
        ...(cardRef && !ephemeral && { cardRef, onThread: (threadId: string) => run.place(cardRef, threadId) }),
        ...(ephemeral && {
          detailsTo: (detail) => deps.api.followUp(interaction.token, { ...detail, ephemeral: true }).then(() => undefined),
        }),
        openThread: !ephemeral,
        cancel,
        attachOverChars: deps.attachOverChars,
        minEditIntervalMs: deps.minEditIntervalMs,
        timeline: deps.timeline,
        schedule,
        logger: deps.logger,
      });
    } finally {
      cancel.abort();
      run.close();
    }
  };
}
