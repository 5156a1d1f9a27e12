import type { CommandInteraction, userOf } from "./interaction.js";

// Who may use the commands where. Empty lists mean "no restriction". /council-health needs an
// administrator, or, when admin lists are set, a user or role on them. /council-stats follows
// the servers and channels /council does (another server sees nothing of this council's
// history), but needs no role: the role list rations the GPU, and the figures cost none and
// hold no question.

export interface AccessSettings {
  allowedGuilds?: readonly string[];
  allowedChannels?: readonly string[];
  allowedRoles?: readonly string[];
  adminUsers?: readonly string[];
  adminRoles?: readonly string[];
}

type User = ReturnType<typeof userOf>;

export interface AccessRules {
  /** Why this user may not run /council here, or undefined when they may. */
  councilDenied(interaction: Pick<CommandInteraction, "guild_id" | "channel">, user: User): string | undefined;
  /** Thread follow-ups are checked like /council, from the thread's guild and parent channel. */
  followUpDenied(place: { guildId?: string; channelId: string; parentId?: string }, user: Pick<User, "roles">): string | undefined;
  healthDenied(user: User): string | undefined;
  statsDenied(interaction: Pick<CommandInteraction, "guild_id" | "channel">): string | undefined;
}

export function createAccessRules(settings: AccessSettings): AccessRules {
  const listed = (list: readonly string[] | undefined, ...ids: Array<string | undefined>) =>
    !list || list.length === 0 || ids.some((id) => id !== undefined && list.includes(id));
  const roleAllowed = (roles: readonly string[]) => !settings.allowedRoles?.length || roles.some((role) => settings.allowedRoles?.includes(role));

  function placeDenied(guildId: string | undefined, channelIds: Array<string | undefined>): string | undefined {
    if (!listed(settings.allowedGuilds, guildId)) return "The council is not enabled on this server.";
    if (!listed(settings.allowedChannels, ...channelIds)) return "The council does not answer in this channel; ask in one where it is enabled.";
    return undefined;
  }

  function interactionPlaceDenied(interaction: Pick<CommandInteraction, "guild_id" | "channel">): string | undefined {
    const channel = interaction.channel as { id?: string; parent_id?: string | null } | undefined;
    return placeDenied(interaction.guild_id, [channel?.id, channel?.parent_id ?? undefined]);
  }

  return {
    councilDenied(interaction, user) {
      return interactionPlaceDenied(interaction) ?? (roleAllowed(user.roles) ? undefined : "Asking the council needs a role this server has not given you.");
    },
    statsDenied: interactionPlaceDenied,
    followUpDenied(place, user) {
      return placeDenied(place.guildId, [place.channelId, place.parentId]) ?? (roleAllowed(user.roles) ? undefined : "Asking the council needs a role this server has not given you.");
    },
    healthDenied(user) {
      const lists = (settings.adminUsers?.length ?? 0) + (settings.adminRoles?.length ?? 0) > 0;
      const allowed = lists
        ? (settings.adminUsers ?? []).includes(user.id) || user.roles.some((role) => (settings.adminRoles ?? []).includes(role))
        : user.isAdministrator;
      return allowed ? undefined : "/council-health is for the council's admins.";
    },
  };
}
