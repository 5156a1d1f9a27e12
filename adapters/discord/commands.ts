import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";

// The slash commands, as registered with Discord. /council-health is for admins: with
// default_member_permissions "0" Discord shows it to administrators only (a server may grant
// it to roles in its Integrations settings), and the bot checks again when it runs.

export const COUNCIL_COMMAND = "council";
export const HEALTH_COMMAND = "council-health";

/** Discord allows up to 25 choices for an option. */
const MAX_CHOICES = 25;
/** A string option holds at most 6000 characters. */
const MAX_OPTION_LENGTH = 6000;

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
          name: "preset",
          description: "Which council to ask (members, strategy, limits)",
          required: false,
          choices: presetNames.slice(0, MAX_CHOICES).map((name) => ({ name, value: name })),
        },
        {
          type: ApplicationCommandOptionType.Boolean,
          name: "private",
          description: "Only you see the council (no thread; the details come as private follow-ups)",
          required: false,
        },
      ],
    },
    {
      name: HEALTH_COMMAND,
      description: "Admins: workers, models, load and recent failures of the council.",
      dm_permission: false,
      default_member_permissions: "0",
    },
  ];
}
