import { type APIEmbed, InteractionResponseType } from "discord.js";
import type { HealthReporter } from "../../src/health.js";
import type { RecentErrors } from "../../src/recent-errors.js";
import type { CouncilService } from "../../src/council-service.js";
import { summariseHealth } from "../shared/health-text.js";
import type { AccessRules } from "./access.js";
import { type Ack, privateReply } from "./council-command.js";
import type { DiscordApi } from "./discord-api.js";
import { type CommandInteraction, userOf } from "./interaction.js";
import { clamp, DISCORD_LIMITS } from "./limits.js";

// /council-health: admins only, always private. Checking every server can take a few seconds,
// so the reply is deferred first and filled in when the report is ready.

export interface HealthCommandDeps {
  api: DiscordApi;
  access: AccessRules;
  health: HealthReporter;
  councils: Pick<CouncilService, "inFlight" | "waiting">;
  errors: RecentErrors;
}

export function createHealthCommand(deps: HealthCommandDeps) {
  return async function handleHealth(interaction: CommandInteraction, ack: Ack): Promise<void> {
    const denied = deps.access.healthDenied(userOf(interaction));
    if (denied) return ack(privateReply(denied));
    await ack({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: 64 } });
    const summary = summariseHealth(await deps.health.report(), deps.councils, deps.errors.list());
    await deps.api.editOriginal(interaction.token, { embeds: [healthEmbed(summary)] });
  };
}

function healthEmbed(summary: ReturnType<typeof summariseHealth>): APIEmbed {
  const field = (name: string, lines: string[]) => ({ name: clamp(name, DISCORD_LIMITS.fieldName), value: clamp(lines.join("\n") || "–", DISCORD_LIMITS.fieldValue) });
  const title = "🩺 Council health";
  const fixed = [field("This machine (PC1)", summary.bot), field("Councils", [summary.councils]), field("Recent failures", summary.errors.slice(0, 5))];
  // Within a message's 6000 embed characters and 25 fields: servers come first, as many as fit.
  let budget = DISCORD_LIMITS.embedTotal - title.length - fixed.reduce((sum, entry) => sum + entry.name.length + entry.value.length, 0);
  const servers = [];
  for (const server of summary.servers.map((entry) => field(entry.title, entry.lines))) {
    budget -= server.name.length + server.value.length;
    if (budget < 0 || servers.length === DISCORD_LIMITS.embedFields - fixed.length) break;
    servers.push(server);
  }
  const healthy = summary.servers.every((server) => server.reachable);
  return { title, color: healthy ? 0x57f287 : 0xed4245, fields: [...servers, ...fixed] };
}
