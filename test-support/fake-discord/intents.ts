// Which sessions get which events, as Discord decides it from IDENTIFY's intents, and the
// MESSAGE_CONTENT rule: without that intent, content, embeds, attachments and components of
// other users' messages arrive empty unless the message mentions the bot.

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

export const PRIVILEGED_INTENTS = Intent.GuildMembers | Intent.GuildPresences | Intent.MessageContent;

const GUILD_EVENTS = /^(GUILD_(CREATE|UPDATE|DELETE|ROLE_\w+)|CHANNEL_\w+|THREAD_\w+)$/;
const MESSAGE_EVENTS = /^MESSAGE_(CREATE|UPDATE|DELETE|DELETE_BULK)$/;
const REACTION_EVENTS = /^MESSAGE_REACTION_\w+$/;

type Payload = Record<string, unknown>;

/** The payload this session gets for the event, or undefined when its intents do not cover it. */
export function gateForIntents(t: string, d: unknown, intents: number, botId: string): unknown {
  const payload = typeof d === "object" && d !== null ? (d as Payload) : undefined;
  const inGuild = payload !== undefined && typeof payload.guild_id === "string";
  if (GUILD_EVENTS.test(t) && (intents & Intent.Guilds) === 0) return undefined;
  if (REACTION_EVENTS.test(t) && (intents & Intent.GuildMessageReactions) === 0) return undefined;
  if (MESSAGE_EVENTS.test(t)) {
    const needed = inGuild ? Intent.GuildMessages : Intent.DirectMessages;
    if ((intents & needed) === 0) return undefined;
    if (payload && (t === "MESSAGE_CREATE" || t === "MESSAGE_UPDATE") && inGuild && (intents & Intent.MessageContent) === 0) {
      return withoutContent(payload, botId);
    }
  }
  return d;
}

function withoutContent(message: Payload, botId: string): Payload {
  const author = message.author as { id?: string } | undefined;
  const mentions = Array.isArray(message.mentions) ? (message.mentions as { id?: string }[]) : [];
  if (author?.id === botId || mentions.some((u) => u.id === botId)) return message;
  const out: Payload = { ...message };
  if ("content" in out) out.content = "";
  if ("embeds" in out) out.embeds = [];
  if ("attachments" in out) out.attachments = [];
  if ("components" in out) out.components = [];
  delete out.poll;
  return out;
}
