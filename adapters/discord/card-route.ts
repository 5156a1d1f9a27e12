import type { APIEmbed } from "discord.js";
import { DeliveryError } from "../shared/delivery-error.js";
import type { DiscordApi, MessageRef } from "./discord-api.js";

// Where the card is edited. Through the interaction's webhook at first (that is what a
// deferred reply is), but its token lives 15 minutes and a council can outlast it: past that,
// the card is the channel message it became, edited with the bot token. A private (ephemeral)
// card has no channel message, so it cannot outlive the token.

const INTERACTION_TOKEN_LIFE_MS = 15 * 60_000;
/** Switch a minute early: the clock that started the token is Discord's, not ours. */
const SWITCH_MARGIN_MS = 60_000;

export interface CardRouteOptions {
  api: DiscordApi;
  token: string;
  /** When the interaction was created (its snowflake's time), in Date.now() milliseconds. */
  issuedAt: number;
  ephemeral: boolean;
  now?: () => number;
}

export function createCardRoute(options: CardRouteOptions) {
  const now = options.now ?? Date.now;
  let ref: MessageRef | undefined;
  let tokenExpired = false;

  async function deliver(embed: APIEmbed): Promise<void> {
    tokenExpired ||= now() - options.issuedAt >= INTERACTION_TOKEN_LIFE_MS - SWITCH_MARGIN_MS;
    if (!tokenExpired) {
      try {
        const message = await options.api.editOriginal(options.token, { embeds: [embed] });
        ref ??= { channelId: message.channel_id, messageId: message.id };
        return;
      } catch (error) {
        if (!(error instanceof DeliveryError) || error.kind !== "expired") throw error;
        tokenExpired = true;
      }
    }
    if (options.ephemeral || !ref) throw new DeliveryError("expired", { message: "the interaction token expired and a private card has no channel message to edit" });
    await options.api.editMessage(ref, { embeds: [embed] });
  }

  return { deliver, ref: () => ref };
}
