import { type APIInteraction, Client, Events, GatewayDispatchEvents, GatewayIntentBits, type Message } from "discord.js";
import type { Logger } from "pino";
import type { EventDedupe } from "../shared/event-dedupe.js";
import { messageFiles } from "./attached-files.js";
import type { DiscordApi } from "./discord-api.js";
import type { DiscordHandlers } from "./handlers.js";

// The default receiver: discord.js's gateway connection (no public URL needed). Interactions
// are taken raw from the gateway, so the handler sees the same payload the HTTP receiver gets,
// and acknowledged with a callback over REST.
//
// Each interaction id is claimed before it is handled, as the HTTP receiver does: a second
// delivery of the same interaction, even after a restart (the claims are in the store), starts
// nothing. That is also what lets `respond` read Discord's "already acknowledged" as its own
// earlier callback, resent by discord.js: no other call acknowledges an id claimed here.

export interface GatewayReceiverOptions {
  token: string;
  apiUrl: string;
  logger: Logger;
  /** Interaction ids already handled (durable when it has the store). */
  dedupe: EventDedupe;
}

export function createGatewayReceiver(options: GatewayReceiverOptions) {
  // Mentions reach a bot without the privileged Message Content intent.
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: options.apiUrl } });

  function connect(handlers: DiscordHandlers, api: DiscordApi): void {
    client.on(Events.Raw, (packet: { t?: string; d?: unknown }) => {
      if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
      const interaction = packet.d as APIInteraction;
      if (!options.dedupe.firstTime(interaction.id)) {
        options.logger.info({ interaction: interaction.id }, "an interaction already handled was delivered again; nothing started");
        return;
      }
      void handlers.onInteraction(interaction, (response) => api.respond(interaction.id, interaction.token, response));
    });
    client.on(Events.MessageCreate, (message) => {
      const botId = client.user?.id;
      if (!botId || !message.channel.isThread() || !message.mentions.users.has(botId)) return;
      void handlers.onThreadMessage(threadMessage(message));
    });
    client.on(Events.Error, (error) => options.logger.error({ err: error }, "Discord gateway error"));
  }

  return {
    client,
    connect,
    botUserId: () => client.user?.id,
    start: async () => {
      await client.login(options.token);
      options.logger.info({ user: client.user?.tag }, "Discord gateway connected");
    },
    stop: () => client.destroy(),
  };
}

function threadMessage(message: Message): Parameters<DiscordHandlers["onThreadMessage"]>[0] {
  return {
    id: message.id,
    channelId: message.channelId,
    ...(message.guildId && { guildId: message.guildId }),
    ...(message.channel.isThread() && message.channel.parentId && { parentId: message.channel.parentId }),
    authorId: message.author.id,
    authorIsBot: message.author.bot,
    roles: message.member ? [...message.member.roles.cache.keys()] : [],
    content: message.content,
    mentionsBot: true,
    files: messageFiles(message.attachments.values()),
  };
}
