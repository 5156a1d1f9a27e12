import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";

const run = promisify(execFile);
const TOKEN = "fake-discord-bot-token-0123456789";

let discord: FakeDiscord;
beforeAll(async () => {
  discord = await startFakeDiscord({ token: TOKEN });
});
afterAll(() => discord.close());

function register(env: Record<string, string>) {
  return run(process.execPath, ["--import", "tsx", "adapters/discord/register.ts"], {
    env: { PATH: process.env.PATH, DISCORD_API_URL: discord.restBase, ...env },
    timeout: 20_000,
  });
}

describe("npm run register", () => {
  it("registers /council with the presets as choices, and an admin-only /council-health, on one guild", async () => {
    const { stdout } = await register({ DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: discord.applicationId, DISCORD_GUILD_ID: discord.guildId });
    expect(stdout).toContain(`Registered /council and /council-health on server ${discord.guildId}`);
    const commands = discord.commands(discord.guildId);
    const council = commands.find((command) => command.name === "council");
    const preset = council?.options?.find((option) => option.name === "preset") as { choices?: Array<{ name: string }> } | undefined;
    expect(preset?.choices?.map((choice) => choice.name)).toEqual(["balanced", "quick", "facts", "debate", "pairwise"]);
    expect(commands.find((command) => command.name === "council-health")?.default_member_permissions).toBe("0");
  });

  it("registers globally without a guild id", async () => {
    const { stdout } = await register({ DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: discord.applicationId });
    expect(stdout).toContain("globally");
    expect(discord.commands().map((command) => command.name).sort()).toEqual(["council", "council-health"]);
  });

  it("says what is missing without a token", async () => {
    const failure = await register({}).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("npm run register needs DISCORD_TOKEN and DISCORD_APP_ID");
  });
});
