import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandInteraction,
  SnowflakeUtil,
  PermissionFlagsBits,
} from "discord.js";

// Reading the raw interaction payload, the same whether it came over the gateway or as a
// signed HTTP request.

export type CommandInteraction = APIChatInputApplicationCommandInteraction;

export function option<T extends string | number | boolean>(interaction: CommandInteraction, name: string): T | undefined {
  const found = (interaction.data.options ?? []).find((entry: APIApplicationCommandInteractionDataOption) => entry.name === name);
  return found && "value" in found ? (found.value as T) : undefined;
}

export function userOf(interaction: CommandInteraction): { id: string; roles: readonly string[]; isAdministrator: boolean } {
  const user = interaction.member?.user ?? interaction.user;
  const permissions = BigInt(interaction.member?.permissions ?? "0");
  return {
    id: user?.id ?? "unknown",
    roles: interaction.member?.roles ?? [],
    isAdministrator: (permissions & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator,
  };
}

/** When Discord created the interaction, from its id: the 15-minute token counts from there. */
export function createdAt(interaction: CommandInteraction): number {
  return SnowflakeUtil.timestampFrom(interaction.id);
}
