import { REST } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";
import { commandDefinitions, commandsRoute, STATS_COMMAND } from "./commands.js";
import { checkDiscord } from "./doctor-check.js";

// The doctor's Discord line for a server whose commands were registered by an older version:
// /council and /council-health work, /council-stats is missing until `npm run register`.

const TOKEN = "fake-discord-bot-token-0123456789";

let discord: FakeDiscord;
beforeAll(async () => {
  discord = await startFakeDiscord({ token: TOKEN });
});
afterAll(() => discord.close());

describe("the doctor's Discord commands line", () => {
  it("asks to register again when /council-stats is missing", async () => {
    const config = { DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: discord.applicationId, DISCORD_GUILD_ID: discord.guildId, DISCORD_API_URL: discord.restBase };
    const rest = new REST({ api: discord.restBase }).setToken(TOKEN);
    const older = commandDefinitions(["balanced"], 4000).filter((command) => command.name !== STATS_COMMAND);
    await rest.put(commandsRoute(discord.applicationId, discord.guildId), { body: older });
    expect((await checkDiscord(config, ["balanced"])).at(-1)).toEqual({
      status: "fail",
      text: `/council-stats is not registered on server ${discord.guildId} (DISCORD_GUILD_ID)`,
      fix: "run `npm run register` again: it adds the commands this version brings",
    });
    await rest.put(commandsRoute(discord.applicationId, discord.guildId), { body: commandDefinitions(["balanced"], 4000) });
    expect((await checkDiscord(config, ["balanced"])).at(-1)?.status).toBe("pass");
  });
});
