// Discord's permission arithmetic, enough for the checks the fake makes on the bot's writes:
// base = @everyone | member's roles (ADMINISTRATOR = all), then the channel's overwrites in
// Discord's order (@everyone, roles together, member). Threads use their parent's overwrites.
import type { FakeGuild, FakeOverwrite } from "./types.js";

export const Permission = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export const ALL_PERMISSIONS = (1n << 53n) - 1n;

export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.CreateInstantInvite |
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseExternalEmojis |
  Permission.ChangeNickname |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.CreatePrivateThreads |
  Permission.SendMessagesInThreads;

export const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS | Permission.MentionEveryone | Permission.ManageMessages | Permission.ManageThreads;

export function toBits(value: bigint | string | undefined, fallback: bigint): bigint {
  if (value === undefined) return fallback;
  return typeof value === "bigint" ? value : BigInt(value);
}

/** The permissions of a member with these roles in this channel (null channel: guild level). */
export function permissionsIn(
  guild: FakeGuild,
  memberId: string,
  roleIds: readonly string[],
  overwrites: readonly FakeOverwrite[] | undefined,
): bigint {
  const everyone = guild.roles.find((r) => r.id === guild.id);
  let base = BigInt(everyone?.permissions ?? "0");
  for (const id of roleIds) {
    const role = guild.roles.find((r) => r.id === id);
    if (role) base |= BigInt(role.permissions);
  }
  if (memberId === guild.ownerId || (base & Permission.Administrator) !== 0n) return ALL_PERMISSIONS;
  if (!overwrites) return base;
  let perms = base;
  const apply = (o: FakeOverwrite | undefined) => {
    if (!o) return;
    perms &= ~BigInt(o.deny);
    perms |= BigInt(o.allow);
  };
  apply(overwrites.find((o) => o.type === 0 && o.id === guild.id));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== guild.id && roleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  apply(overwrites.find((o) => o.type === 1 && o.id === memberId));
  return perms;
}

export const has = (perms: bigint, flag: bigint): boolean => (perms & flag) === flag;
