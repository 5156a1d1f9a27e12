import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from "discord.js";
import { PERIODS } from "../../src/insights/period.js";

// The slash commands, as registered with Discord. /council-health is for admins: with
// default_member_permissions "0" Discord shows it to administrators only (a server may grant
// it to roles in its Integrations settings), and the bot checks again when it runs.
// /council-stats is for everyone: its figures hold no question.

export const COUNCIL_COMMAND = "council";
export const HEALTH_COMMAND = "council-health";
export const STATS_COMMAND = "council-stats";
/** The /council option that names the preset. */
export const PRESET_OPTION = "preset";
/** The /council options that attach files, in the order they are read. */
export const FILE_OPTIONS = ["file", "file2"] as const;

/** Discord allows up to 25 choices for an option. */
const MAX_CHOICES = 25;
/** A string option holds at most 6000 characters. */
const MAX_OPTION_LENGTH = 6000;

/** The presets /council offers as choices: the first ones, up to Discord's limit. */
export function presetChoiceNames(presetNames: readonly string[]): string[] {
  return presetNames.slice(0, MAX_CHOICES);
}

/**
 * Where the commands are registered: on the server DISCORD_GUILD_ID names (updated at once, for
 * development), otherwise globally.
 */
export function commandsRoute(appId: string, guildId: string | undefined) {
  return guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
}

export function commandDefinitions(presetNames: readonly string[], maxQuestionChars: number): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [
    {
      name: COUNCIL_COMMAND,
      description: "Ask the council of local models: they answer, rank each other, and a chairman writes the answer.",
      dm_permission: false,
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: "question",
          description: "Your question",
          required: true,
          max_length: Math.min(maxQuestionChars, MAX_OPTION_LENGTH),
        },
        {
          type: ApplicationCommandOptionType.String,
          name: PRESET_OPTION,
          description: "Which council to ask (members, strategy, limits)",
          required: false,
          choices: presetChoiceNames(presetNames).map((name) => ({ name, value: name })),
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: "private",
          description: "Only you see the council (no thread; the details come as private follow-ups)",
          required: false,
        },
        ...FILE_OPTIONS.map((name, index) => ({
          type: ApplicationCommandOptionType.Attachment as const,
          name,
          description: index === 0 ? "A document, log or image the council should read with your question" : "A second file",
          required: false,
        })),
      ],
    },
    {
      name: HEALTH_COMMAND,
      description: "Admins: workers, models, load and recent failures of the council.",
      dm_permission: false,
      default_member_permissions: "0",
    },
    {
      name: STATS_COMMAND,
      description: "What the council did: which model the peers rate best, tokens and time per model, as a chart.",
      dm_permission: false,
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: "period",
          description: "How far back (default: the last 7 days)",
          required: false,
          choices: PERIODS.map((period) => ({ name: period, value: period })),
        },
        {
          // Free text rather than choices: presets since renamed in the file still have their history.
          type: ApplicationCommandOptionType.String,
          name: "preset",
          description: "Only the councils of this preset (default: every preset)",
          required: false,
          max_length: 100,
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: "public",
          description: "Post it in the channel (default: only you see it)",
          required: false,
        },
      ],
    },
  ];
}
