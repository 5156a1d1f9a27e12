// Who a message pings, as Discord works it out from the content and allowed_mentions: the
// stored message's `mentions`, `mention_roles` and `mention_everyone` show what a test would
// see pinged (e.g. model text with "@everyone" under `allowed_mentions: { parse: [] }` pings nobody).
import { has, Permission } from "./permissions.js";
import type { FakeGuild, FakeUser } from "./types.js";

export interface Mentions {
  mentions: FakeUser[];
  mention_roles: string[];
  mention_everyone: boolean;
}

const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);

export function resolveMentions(
  content: string,
  allowedMentions: unknown,
  authorPermissions: bigint,
  guild: FakeGuild | undefined,
  users: ReadonlyMap<string, FakeUser>,
  extraUsers: readonly FakeUser[] = [],
): Mentions {
  const allowed = typeof allowedMentions === "object" && allowedMentions !== null ? (allowedMentions as Record<string, unknown>) : undefined;
  const parse = allowed ? (list(allowed.parse) ?? []) : ["users", "roles", "everyone"];
  const allowedUsers = new Set(allowed ? (list(allowed.users) ?? []) : []);
  const allowedRoles = new Set(allowed ? (list(allowed.roles) ?? []) : []);

  const found = new Map<string, FakeUser>();
  for (const match of content.matchAll(/<@!?(\d{1,20})>/g)) {
    const id = match[1] ?? "";
    const user = users.get(id);
    if (user && (parse.includes("users") || allowedUsers.has(id))) found.set(id, user);
  }
  for (const user of extraUsers) found.set(user.id, user);

  const roles: string[] = [];
  for (const match of content.matchAll(/<@&(\d{1,20})>/g)) {
    const id = match[1] ?? "";
    const role = guild?.roles.find((r) => r.id === id);
    if (!role || roles.includes(id)) continue;
    const pingable = role.mentionable || has(authorPermissions, Permission.MentionEveryone);
    if (pingable && (parse.includes("roles") || allowedRoles.has(id))) roles.push(id);
  }

  const everyone =
    /@(everyone|here)\b/.test(content) && parse.includes("everyone") && has(authorPermissions, Permission.MentionEveryone);
  return { mentions: [...found.values()], mention_roles: roles, mention_everyone: everyone };
}
