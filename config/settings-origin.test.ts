import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadDotEnv, readDotEnv } from "./dotenv.js";
import { ConfigError, loadBotConfig, loadWorkerConfig } from "./index.js";

// A typo in .env (the user's own file) stops start-up; a stranger in the shell's environment
// (DISCORD_WEBHOOK exported for another tool) is only warned about.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-settings-origin-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function dotEnv(text: string): Promise<string> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.env`);
  await writeFile(path, text);
  return path;
}

/** An environment as a shell would export it, with `file` loaded into it as the entry points do. */
async function environment(exported: Record<string, string>, file: string) {
  const env: Record<string, string | undefined> = { ...exported };
  loadDotEnv(await dotEnv(file), env);
  return env;
}

describe("settings from the shell and from .env", () => {
  it("starts the bot and the worker with unrelated variables exported by the shell, warning once for each", async () => {
    const env = await environment(
      { DISCORD_WEBHOOK: "https://discord.com/api/webhooks/1/x", SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x", PATH: "/usr/bin" },
      "WORKER_URLS=http://127.0.0.1:8001\n",
    );
    const warnings: string[] = [];
    const bot = loadBotConfig(env, { warn: (line) => warnings.push(line) });
    expect(bot.WORKER_URLS).toEqual(["http://127.0.0.1:8001"]);
    expect(warnings).toEqual([
      "council bot: DISCORD_WEBHOOK is set in the environment but is not a council setting; ignoring it.",
      "council bot: SLACK_WEBHOOK_URL is set in the environment but is not a council setting; ignoring it.",
    ]);
    expect(() => loadWorkerConfig(env, { warn: () => {} })).not.toThrow();
  });

  it("names the setting a misspelt shell variable probably meant", async () => {
    const env = await environment({ WORKER_TOKN: "0123456789abcdef0123" }, "");
    const warnings: string[] = [];
    loadBotConfig(env, { warn: (line) => warnings.push(line) });
    expect(warnings).toEqual(["council bot: WORKER_TOKN is set in the environment but is not a council setting; ignoring it. If you meant WORKER_TOKEN, rename it."]);
  });

  it("still stops on a key of .env that is not a setting, naming the one meant", async () => {
    const env = await environment({}, "WORKER_URLS=http://127.0.0.1:8001\nCHAIRMAN_URLS=http://127.0.0.1:11434\nDISCORD_WEBHOOK=x\n");
    const error = (() => {
      try {
        loadBotConfig(env, { warn: () => {} });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).keys).toEqual(["CHAIRMAN_URLS", "DISCORD_WEBHOOK"]);
    expect((error as ConfigError).message).toContain("CHAIRMAN_URLS is not a council setting. Did you mean CHAIRMAN_URL?");
    expect(() => loadWorkerConfig(env, { warn: () => {} })).toThrow("DISCORD_WEBHOOK is not a council setting");
  });

  it("counts a key as the file's when the shell exports it too, and lets the shell's value win", async () => {
    const env = await environment({ COUNCIL_PRESETT: "quick", WORKER_URLS: "http://10.0.0.2:8001" }, "COUNCIL_PRESETT=quick\nWORKER_URLS=http://10.0.0.9:8001\n");
    expect(env.WORKER_URLS).toBe("http://10.0.0.2:8001");
    expect(() => loadBotConfig(env, { warn: () => {} })).toThrow("COUNCIL_PRESETT is not a council setting. Did you mean COUNCIL_PRESET?");
  });

  it("checks every key of an object given by code, as before", () => {
    expect(() => loadBotConfig({ DISCORD_WEBHOOK: "x" })).toThrow(ConfigError);
  });

  it("warns about process.env's strangers on standard error once, however often the settings are loaded", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    process.env.SLACK_WEBHOOK_URL = "https://hooks.slack.com/services/T/B/x";
    try {
      loadBotConfig();
      loadBotConfig();
      const lines = write.mock.calls.map(([text]) => String(text)).filter((text) => text.includes("SLACK_WEBHOOK_URL"));
      expect(lines).toEqual(["council bot: SLACK_WEBHOOK_URL is set in the environment but is not a council setting; ignoring it.\n"]);
    } finally {
      delete process.env.SLACK_WEBHOOK_URL;
      write.mockRestore();
    }
  });
});

describe(".env", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is optional", () => {
    expect(readDotEnv(join(dir, "no-such.env"))).toEqual({});
  });

  it("that cannot be read is a ConfigError naming the file and the fix, not a crash", async () => {
    const folder = join(dir, "a-folder.env");
    await mkdir(folder);
    expect(() => readDotEnv(folder)).toThrow(ConfigError);
    expect(() => readDotEnv(folder)).toThrow(/cannot read .*a-folder\.env: .*Fix: make it a readable file, or remove it\./);
  });
});
