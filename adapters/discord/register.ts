import { REST } from "discord.js";
import { loadDotEnv } from "../../config/dotenv.js";
import { ConfigError, loadBotConfig } from "../../config/index.js";
import { loadPresets } from "../../config/presets.js";
import { commandDefinitions, commandsRoute } from "./commands.js";

// `npm run register`: registers /council, /council-health and /council-stats. With DISCORD_GUILD_ID, on that
// server only (updated at once, for development); otherwise globally (Discord may take up to
// an hour to show them everywhere). Run it again after changing the presets: their names are
// the /council preset choices.

async function register(): Promise<string> {
  loadDotEnv();
  const config = loadBotConfig();
  if (!config.DISCORD_TOKEN || !config.DISCORD_APP_ID) {
    throw new ConfigError("npm run register needs DISCORD_TOKEN and DISCORD_APP_ID in .env (see README, \"Discord\").", ["DISCORD_TOKEN"]);
  }
  const presets = loadPresets(config.COUNCIL_CONFIG, config.COUNCIL_PRESET);
  const longest = Math.max(...presets.names.map((name) => presets.get(name).limits.maxQuestionChars));
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  await rest.put(commandsRoute(config.DISCORD_APP_ID, config.DISCORD_GUILD_ID), { body: commandDefinitions(presets.names, longest) });
  return config.DISCORD_GUILD_ID
    ? `Registered /council, /council-health and /council-stats on server ${config.DISCORD_GUILD_ID}; they work there now.`
    : "Registered /council, /council-health and /council-stats globally; Discord may take up to an hour to show them on every server.";
}

register().then(
  (message) => console.log(message),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `Registering the commands failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
