// Application command registration: bulk overwrite (PUT), list (GET) and create (POST), global
// and per guild. Overwriting keeps the id of a command with the same name and type, as Discord does.
import { apiError, ErrorCode } from "./errors.js";
import { ok, type Handler, type RouteContext } from "./route-context.js";
import type { FakeCommand } from "./types.js";
import { validateCommands } from "./validation.js";

function scope(ctx: RouteContext): string | undefined {
  if (ctx.params.applicationId !== ctx.world.applicationId) throw apiError(403, ErrorCode.MissingAccess);
  const guildId = ctx.params.guildId;
  if (guildId !== undefined && !ctx.world.guilds.some((g) => g.id === guildId)) throw apiError(403, ErrorCode.MissingAccess);
  return guildId;
}

function inScope(ctx: RouteContext, guildId: string | undefined): FakeCommand[] {
  return ctx.world.commands.filter((c) => c.guild_id === guildId);
}

function toCommand(ctx: RouteContext, body: Record<string, unknown>, guildId: string | undefined, existing: FakeCommand | undefined): FakeCommand {
  const type = typeof body.type === "number" ? body.type : 1;
  const command: FakeCommand = {
    ...body,
    id: existing?.id ?? ctx.world.ids.next(),
    application_id: ctx.world.applicationId,
    version: ctx.world.ids.next(),
    type,
    name: String(body.name),
    description: typeof body.description === "string" ? body.description : "",
    default_member_permissions: body.default_member_permissions == null ? null : String(body.default_member_permissions),
    nsfw: body.nsfw === true,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
  };
  if (guildId !== undefined) command.guild_id = guildId;
  else if (command.dm_permission === undefined) command.dm_permission = true;
  return command;
}

const sameCommand = (a: Record<string, unknown>, b: FakeCommand) => a.name === b.name && (a.type ?? 1) === b.type;

export const getCommands: Handler = (ctx) => ok(inScope(ctx, scope(ctx)));

export const putCommands: Handler = (ctx) => {
  const guildId = scope(ctx);
  const bodies = validateCommands(ctx.rawBody);
  const before = inScope(ctx, guildId);
  const next = bodies.map((b) => toCommand(ctx, b, guildId, before.find((c) => sameCommand(b, c))));
  const others = ctx.world.commands.filter((c) => c.guild_id !== guildId);
  ctx.world.commands.length = 0;
  ctx.world.commands.push(...others, ...next);
  return ok(next);
};

export const createCommand: Handler = (ctx) => {
  const guildId = scope(ctx);
  const [body] = validateCommands([ctx.rawBody]);
  const input = body ?? {};
  const existing = inScope(ctx, guildId).find((c) => sameCommand(input, c));
  const command = toCommand(ctx, input, guildId, existing);
  if (existing) ctx.world.commands.splice(ctx.world.commands.indexOf(existing), 1, command);
  else ctx.world.commands.push(command);
  return ok(command, existing ? 200 : 201);
};
