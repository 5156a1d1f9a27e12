import { type APIApplication, type APIApplicationCommand, type APIUser, DiscordAPIError, REST, Routes } from "discord.js";
import type { BotConfig } from "../../config/index.js";
import { type CheckLine, fail, pass, skip } from "../../src/doctor/check-line.js";
import { COUNCIL_COMMAND, commandsRoute, HEALTH_COMMAND, PRESET_OPTION, presetChoiceNames, STATS_COMMAND } from "./commands.js";

// What `npm run doctor` asks Discord, with reads only: whose bot the token is (GET /users/@me),
// which application (GET /applications/@me, to check DISCORD_APP_ID), and which commands are
// registered where the bot registers them (GET the application's commands).

type DiscordSettings = Pick<BotConfig, "DISCORD_TOKEN" | "DISCORD_APP_ID" | "DISCORD_GUILD_ID" | "DISCORD_API_URL">;

const TIMEOUT_MS = 10_000;
const UNAUTHORIZED = 401;

export async function checkDiscord(config: DiscordSettings, presetNames: readonly string[] | undefined): Promise<CheckLine[]> {
  // The settings require DISCORD_APP_ID with DISCORD_TOKEN (config/discord.ts): testing both only narrows the type.
  if (config.DISCORD_TOKEN === undefined || config.DISCORD_APP_ID === undefined) return [skip("Discord is not configured (DISCORD_TOKEN is empty)")];
  // No retries: the doctor reports what Discord answered first, without waiting out a backoff.
  const rest = new REST({ api: config.DISCORD_API_URL, retries: 0, timeout: TIMEOUT_MS }).setToken(config.DISCORD_TOKEN);
  let bot: APIUser;
  let application: APIApplication;
  try {
    bot = (await rest.get(Routes.user("@me"))) as APIUser;
    application = (await rest.get(Routes.currentApplication())) as APIApplication;
  } catch (error) {
    return [refusal(error, config.DISCORD_API_URL)];
  }
  const lines = [pass(`Discord accepts DISCORD_TOKEN: the bot ${bot.username} of application ${application.id}`)];
  if (application.id !== config.DISCORD_APP_ID) {
    return [...lines, fail(`DISCORD_APP_ID is ${config.DISCORD_APP_ID}, but DISCORD_TOKEN is the bot of application ${application.id}`, `set DISCORD_APP_ID=${application.id}, or use the token of that application's bot`)];
  }
  return [...lines, await commandsLine(rest, config, application.id, presetNames)];
}

async function commandsLine(rest: REST, config: DiscordSettings, applicationId: string, presetNames: readonly string[] | undefined): Promise<CheckLine> {
  const guild = config.DISCORD_GUILD_ID;
  const where = guild ? `on server ${guild} (DISCORD_GUILD_ID)` : "globally";
  let commands: APIApplicationCommand[];
  try {
    commands = (await rest.get(commandsRoute(applicationId, guild))) as APIApplicationCommand[];
  } catch (error) {
    return fail(`the commands registered ${where} could not be read (${(error as Error).message})`, guild ? "check DISCORD_GUILD_ID: the bot must be on that server" : "run npm run doctor again in a moment");
  }
  const names = new Set(commands.map((command) => command.name));
  const missing = [COUNCIL_COMMAND, HEALTH_COMMAND].filter((name) => !names.has(name));
  if (missing.length > 0) {
    return fail(`${missing.map((name) => `/${name}`).join(" and ")} ${missing.length === 1 ? "is" : "are"} not registered ${where}`, "run `npm run register`");
  }
  // Registered before /council-stats existed: the others work, this one is missing until registered again.
  if (!names.has(STATS_COMMAND)) return fail(`/${STATS_COMMAND} is not registered ${where}`, "run `npm run register` again: it adds the commands this version brings");
  const offered = presetChoices(commands.find((command) => command.name === COUNCIL_COMMAND));
  const expected = presetNames && presetChoiceNames(presetNames);
  if (expected && offered.join() !== expected.join()) {
    return fail(
      `/${COUNCIL_COMMAND} offers the presets ${offered.join(", ") || "(none)"}, but the presets file has ${expected.join(", ")}`,
      "run `npm run register` again: it updates the commands",
    );
  }
  return pass(`/${COUNCIL_COMMAND}, /${HEALTH_COMMAND} and /${STATS_COMMAND} are registered ${where}`);
}

function presetChoices(command: APIApplicationCommand | undefined): string[] {
  const option = command?.options?.find((entry) => entry.name === PRESET_OPTION);
  const choices = option && "choices" in option ? option.choices : undefined;
  return (choices ?? []).map((choice) => String(choice.value));
}

function refusal(error: unknown, apiUrl: string): CheckLine {
  if (error instanceof DiscordAPIError && error.status === UNAUTHORIZED) {
    return fail("Discord refused DISCORD_TOKEN (401 Unauthorized)", "in the developer portal, reset the bot's token (your application > Bot > Reset Token) and put it in DISCORD_TOKEN");
  }
  return fail(`Discord did not answer at ${apiUrl} (${(error as Error).message})`, "check this machine's connection to discord.com, or DISCORD_API_URL if it is set");
}
