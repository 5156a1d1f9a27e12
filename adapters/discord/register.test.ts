import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";

const run = promisify(execFile);
const TOKEN = "fake-discord-bot-token-0123456789";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let discord: FakeDiscord;
// npm run register's working directory: its own .env only, never the developer's.
let cwd: string;
beforeAll(async () => {
  discord = await startFakeDiscord({ token: TOKEN });
  cwd = await mkdtemp(join(tmpdir(), "council-register-"));
});
afterAll(async () => {
  await discord.close();
  await rm(cwd, { recursive: true, force: true });
});

function register(env: Record<string, string>, dotEnv = "") {
  return writeFile(join(cwd, ".env"), dotEnv).then(() =>
    run(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "adapters/discord/register.ts")], {
      cwd,
      env: { PATH: process.env.PATH, DISCORD_API_URL: discord.restBase, COUNCIL_CONFIG: join(ROOT, "config/presets.json"), ...env },
      timeout: 20_000,
    }),
  );
}

describe("npm run register", () => {
  it("registers /council with the presets as choices, an admin-only /council-health and /council-stats, on one guild", async () => {
    const { stdout } = await register({ DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: discord.applicationId, DISCORD_GUILD_ID: discord.guildId });
    expect(stdout).toContain(`Registered /council, /council-health and /council-stats on server ${discord.guildId}`);
    const commands = discord.commands(discord.guildId);
    const council = commands.find((command) => command.name === "council");
    const preset = council?.options?.find((option) => option.name === "preset") as { choices?: Array<{ name: string }> } | undefined;
    expect(preset?.choices?.map((choice) => choice.name)).toEqual(["balanced", "quick", "facts", "vote", "debate", "pairwise"]);
    // Attachment options (type 11), optional, after the others: Discord wants required options first.
    expect(council?.options?.map((option) => [option.name, option.type, option.required ?? false])).toEqual([
      ["question", 3, true],
      ["preset", 3, false],
      ["private", 5, false],
      ["file", 11, false],
      ["file2", 11, false],
    ]);
    expect(commands.find((command) => command.name === "council-health")?.default_member_permissions).toBe("0");
    const stats = commands.find((command) => command.name === "council-stats");
    expect(stats?.default_member_permissions ?? null).toBeNull();
    expect(stats?.options?.map((option) => option.name)).toEqual(["period", "preset", "public"]);
    const period = stats?.options?.[0] as { choices?: Array<{ value: string }> } | undefined;
    expect(period?.choices?.map((choice) => choice.value)).toEqual(["24h", "7d", "30d", "all"]);
  });

  it("registers globally without a guild id", async () => {
    const { stdout } = await register({ DISCORD_TOKEN: TOKEN, DISCORD_APP_ID: discord.applicationId });
    expect(stdout).toContain("globally");
    expect(discord.commands().map((command) => command.name).sort()).toEqual(["council", "council-health", "council-stats"]);
  });

  it("takes its settings from .env, and goes on past a variable the shell exported for another tool, with one warning", async () => {
    const { stdout, stderr } = await register(
      { SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/x" },
      `DISCORD_TOKEN=${TOKEN}\nDISCORD_APP_ID=${discord.applicationId}\nDISCORD_GUILD_ID=${discord.guildId}\n`,
    );
    expect(stdout).toContain(`on server ${discord.guildId}`);
    expect(stderr.trim()).toBe("council bot: SLACK_WEBHOOK_URL is set in the environment but is not a council setting; ignoring it.");
  });

  it("stops on a misspelt key in .env, naming the one meant", async () => {
    const failure = await register({}, `DISCORD_TOKEN=${TOKEN}\nDISCORD_APP_ID=${discord.applicationId}\nDISCORD_GUILD=${discord.guildId}\n`).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("DISCORD_GUILD is not a council setting. Did you mean DISCORD_GUILD_ID?");
  });

  it("says what is missing without a token", async () => {
    const failure = await register({}).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("npm run register needs DISCORD_TOKEN and DISCORD_APP_ID");
  });
});
