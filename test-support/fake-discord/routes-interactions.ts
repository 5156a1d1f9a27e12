// Interaction routes (no bot token): the callback, which must come within 3 s and only once,
// and the interaction webhook (@original, follow-ups), whose token dies after 15 minutes.
import { apiError, ErrorCode, FormErrors } from "./errors.js";
import { createMessage, editMessage, MessageFlag } from "./messages.js";
import { apiMessage, gatewayMessage, newMessage } from "./payloads.js";
import { noContent, ok, type Handler, type RouteContext } from "./route-context.js";
import type { FakeInteraction, FakeMessage } from "./types.js";

export const CallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;

/** When the interaction's clock started: its dispatch, or its creation if never dispatched. */
const startedAt = (interaction: FakeInteraction): number => interaction.dispatchedAt ?? interaction.createdAt;

/** The interaction of a webhook route, or Discord's answer for a bad or stale token. */
export function webhookInteraction(ctx: Pick<RouteContext, "world" | "params" | "settings" | "now">): FakeInteraction {
  if (ctx.params.applicationId !== ctx.world.applicationId) throw apiError(404, ErrorCode.UnknownWebhook);
  const interaction = ctx.world.interactionsByToken.get(ctx.params.webhookToken ?? "");
  if (!interaction || ctx.now - startedAt(interaction) > ctx.settings.tokenLifetimeMs) throw apiError(401, ErrorCode.InvalidWebhookToken);
  return interaction;
}

function interactionMessageFields(ctx: RouteContext, interaction: FakeInteraction): Partial<FakeMessage> {
  const user = ctx.world.users.get(interaction.userId ?? "") ?? ctx.world.tester;
  return {
    type: interaction.type === 2 ? 20 : 0,
    webhook_id: ctx.world.applicationId,
    application_id: ctx.world.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user,
      authorizing_integration_owners: { "0": interaction.guildId },
      ...(interaction.commandName === undefined ? {} : { name: interaction.commandName, command_type: 1 }),
    },
    ...(interaction.commandName === undefined ? {} : { interaction: { id: interaction.id, type: interaction.type, name: interaction.commandName, user } }),
  };
}

function echoCreate(ctx: RouteContext, message: FakeMessage): void {
  if ((message.flags & MessageFlag.Ephemeral) === 0) ctx.echo("MESSAGE_CREATE", gatewayMessage(ctx.world, message));
}

function echoUpdate(ctx: RouteContext, message: FakeMessage): void {
  if ((message.flags & MessageFlag.Ephemeral) === 0) ctx.echo("MESSAGE_UPDATE", gatewayMessage(ctx.world, message));
}

function badCallbackType(allowed: readonly number[]): never {
  const errors = new FormErrors();
  errors.add(["type"], "BASE_TYPE_CHOICES", `Value must be one of {${allowed.join(", ")}}.`);
  errors.throwIfAny();
  throw new Error("unreachable");
}

export const interactionCallback: Handler = (ctx) => {
  const interaction = ctx.world.interactions.get(ctx.params.interactionId ?? "");
  if (!interaction || interaction.token !== ctx.params.interactionToken) throw apiError(404, ErrorCode.UnknownInteraction);
  if (interaction.ack) throw apiError(400, ErrorCode.InteractionAlreadyAcknowledged);
  if (ctx.now - startedAt(interaction) > ctx.settings.ackDeadlineMs) throw apiError(404, ErrorCode.UnknownInteraction);
  const type = ctx.body.type;
  const onMessage = interaction.type === 3;
  const allowed: number[] = onMessage ? [4, 5, 6, 7, 9] : [4, 5, 9];
  if (typeof type !== "number" || !allowed.includes(type)) badCallbackType(allowed);
  const data = typeof ctx.body.data === "object" && ctx.body.data !== null ? (ctx.body.data as Record<string, unknown>) : {};
  const ephemeral = typeof data.flags === "number" && (data.flags & MessageFlag.Ephemeral) !== 0;
  let message: FakeMessage | undefined;
  const dataCtx: RouteContext = { ...ctx, body: data };

  if (type === CallbackType.ChannelMessageWithSource) {
    message = createMessage(dataCtx, interaction.channelId, interactionMessageFields(ctx, interaction), { viaInteraction: true });
    interaction.originalMessageId = message.id;
    echoCreate(ctx, message);
  } else if (type === CallbackType.DeferredChannelMessageWithSource) {
    // The "is thinking..." message; ephemeral can only be chosen here.
    message = newMessage(ctx.world, {
      ...interactionMessageFields(ctx, interaction),
      channel_id: interaction.channelId,
      author: ctx.world.bot,
      flags: MessageFlag.Loading | (ephemeral ? MessageFlag.Ephemeral : 0),
    });
    ctx.world.addMessage(message);
    interaction.originalMessageId = message.id;
    echoCreate(ctx, message);
  } else if (type === CallbackType.UpdateMessage) {
    message = ctx.world.messages.get(interaction.originalMessageId ?? "");
    if (!message || message.deleted) throw apiError(404, ErrorCode.UnknownMessage);
    editMessage(dataCtx, message, { viaInteraction: true });
    echoUpdate(ctx, message);
  } else if (type === CallbackType.DeferredUpdateMessage) {
    message = ctx.world.messages.get(interaction.originalMessageId ?? "");
  }
  interaction.ack = { type, at: ctx.now, ephemeral: type === 4 || type === 5 ? ephemeral : false };

  if (ctx.query.get("with_response") !== "true") return noContent();
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      ...(message ? { response_message_id: message.id, response_message_loading: (message.flags & MessageFlag.Loading) !== 0, response_message_ephemeral: (message.flags & MessageFlag.Ephemeral) !== 0 } : {}),
    },
    resource: { type, ...(message && type !== CallbackType.DeferredUpdateMessage ? { message: apiMessage(message) } : {}) },
  });
};

/** "@original" or a follow-up of this interaction; anything else is an unknown message. */
function webhookMessage(ctx: RouteContext, interaction: FakeInteraction): FakeMessage {
  const ref = ctx.params.messageId ?? "";
  const id = ref === "@original" ? interaction.originalMessageId : ref;
  const mine = id !== undefined && (id === interaction.originalMessageId || interaction.followupIds.includes(id));
  const message = mine ? ctx.world.messages.get(id) : undefined;
  if (!message || message.deleted) throw apiError(404, ErrorCode.UnknownMessage);
  return message;
}

export const createFollowup: Handler = (ctx) => {
  const interaction = ctx.interaction ?? webhookInteraction(ctx);
  if (!interaction.ack) throw apiError(404, ErrorCode.UnknownWebhook);
  const message = createMessage(ctx, interaction.channelId, interactionMessageFields(ctx, interaction), { viaInteraction: true });
  interaction.followupIds.push(message.id);
  echoCreate(ctx, message);
  return ctx.query.get("wait") === "true" ? ok(apiMessage(message)) : noContent();
};

export const getWebhookMessage: Handler = (ctx) => ok(apiMessage(webhookMessage(ctx, ctx.interaction ?? webhookInteraction(ctx))));

export const patchWebhookMessage: Handler = (ctx) => {
  const message = webhookMessage(ctx, ctx.interaction ?? webhookInteraction(ctx));
  editMessage(ctx, message, { viaInteraction: true });
  echoUpdate(ctx, message);
  return ok(apiMessage(message));
};

export const deleteWebhookMessage: Handler = (ctx) => {
  const message = webhookMessage(ctx, ctx.interaction ?? webhookInteraction(ctx));
  message.deleted = true;
  if ((message.flags & MessageFlag.Ephemeral) === 0) {
    ctx.echo("MESSAGE_DELETE", { id: message.id, channel_id: message.channel_id, guild_id: message.guild_id });
  }
  return noContent();
};
