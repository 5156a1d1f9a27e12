import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { REST, Routes } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, startFakeDiscord } from "../../test-support/fake-discord/index.js";
import { type FakeOllama, startFakeOllama } from "../../test-support/fake-ollama/index.js";
import { type FakeSlack, startFakeSlack } from "../../test-support/fake-slack/index.js";
import { freePort } from "../../test-support/free-port.js";
import { startWorker } from "../../test-support/start-worker.js";
import { commandDefinitions } from "../discord/commands.js";
import { runDoctor } from "./doctor.js";

// npm run doctor against the fakes: every setting right gives only ✓ and exit code 0; each
// thing a user can get wrong gives its ✗ with the fix, and exit code 1.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WORKER_TOKEN = "doctor-worker-token-0123456789";
const DISCORD_TOKEN = "doctor-discord-bot-token-0123456789";
const SLACK_BOT_TOKEN = "xoxb-doctor-bot-0123456789";
const SLACK_APP_TOKEN = "xapp-1-doctor-app-0123456789";

const PRESETS = {
  default: "main",
  presets: {
    main: { members: [{ name: "A", model: "member-a" }, { name: "B", model: "member-b" }], chairman: "chair", limits: { numCtx: { default: 4096 } } },
    quick: { members: [{ name: "A", model: "member-a" }, { name: "B", model: "member-b" }], chairman: "not-needed", strategy: "best-of" },
  },
};

let dir: string;
let members: FakeOllama;
let chairman: FakeOllama;
let worker: Awaited<ReturnType<typeof startWorker>>;
let discord: FakeDiscord;
let slack: FakeSlack;
let closedUrl: string;
let presetsFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-doctor-"));
  members = await startFakeOllama({ models: { "member-a": {}, "member-b": {}, "member-c": {}, "small-context": { trainedContextLength: 2048 } } });
  chairman = await startFakeOllama({ models: { chair: {} } });
  worker = await startWorker(members.url, { WORKER_TOKEN, WORKER_MODELS: ["member-a", "member-b", "small-context"] });
  discord = await startFakeDiscord({ token: DISCORD_TOKEN });
  slack = await startFakeSlack({ botToken: SLACK_BOT_TOKEN, appToken: SLACK_APP_TOKEN });
  closedUrl = `http://127.0.0.1:${await freePort()}`;
  presetsFile = await writePresets("presets.json", PRESETS);
  await registerCommands(Routes.applicationCommands(discord.applicationId), Object.keys(PRESETS.presets));
});

afterAll(async () => {
  await Promise.allSettled([discord.close(), slack.close()]);
  await worker.close();
  await members.close();
  await chairman.close();
  await rm(dir, { recursive: true, force: true });
});

async function writePresets(name: string, presets: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(presets));
  return path;
}

function registerCommands(route: `/${string}`, presetNames: string[]) {
  return new REST({ api: discord.restBase }).setToken(DISCORD_TOKEN).put(route, { body: commandDefinitions(presetNames, 4000) });
}

/** Every setting right: a worker with a token and an allowlist, the chairman's own Ollama, Discord and Slack. */
function goodSettings(): Record<string, string> {
  return {
    WORKER_URLS: worker.url,
    WORKER_TOKEN,
    CHAIRMAN_URL: chairman.url,
    COUNCIL_CONFIG: presetsFile,
    COUNCIL_DB: join(dir, "data", "council.db"),
    DISCORD_TOKEN,
    DISCORD_APP_ID: discord.applicationId,
    DISCORD_API_URL: discord.restBase,
    SLACK_BOT_TOKEN,
    SLACK_APP_TOKEN,
    SLACK_API_URL: slack.apiUrl,
  };
}

/** The doctor with the good settings changed by `changes` (undefined removes one), and `dotEnv` as the .env file. */
async function doctor(changes: Record<string, string | undefined> = {}, dotEnv?: string) {
  const env: Record<string, string | undefined> = { ...goodSettings(), ...changes };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const dotEnvPath = join(dir, `${Math.random().toString(36).slice(2)}.env`);
  if (dotEnv !== undefined) await writeFile(dotEnvPath, dotEnv);
  let output = "";
  const code = await runDoctor({ env, dotEnvPath, write: (text) => (output += text) });
  return { code, output };
}

/** The ✗ line that contains `text`, with the fix lines under it. */
function failure(output: string, text: string): string {
  const lines = output.split("\n");
  const at = lines.findIndex((line) => line.startsWith("  ✗ ") && line.includes(text));
  if (at < 0) throw new Error(`no ✗ line with "${text}" in:\n${output}`);
  const fix = [];
  for (let i = at + 1; i < lines.length && lines[i]!.startsWith("    "); i++) fix.push(lines[i]!.trim());
  return `${lines[at]}\n${fix.join("\n")}`;
}

const failures = (output: string) => output.split("\n").filter((line) => line.startsWith("  ✗ "));

describe("npm run doctor, everything set up", () => {
  it("passes every check with exit code 0, naming what it found", async () => {
    const { code, output } = await doctor();
    expect(failures(output), output).toEqual([]);
    expect(code).toBe(0);
    expect(output).toContain(`✓ ${worker.url} (members): council worker 0.1.0, in front of Ollama 0.12.6`);
    expect(output).toContain(`✓ the worker at ${worker.url} accepts WORKER_TOKEN`);
    expect(output).toContain(`✓ ${chairman.url} (chairman): Ollama 0.12.6 (a plain Ollama, which takes no token)`);
    // quick keeps the default num_ctx of 8192: the largest a model is given is what must fit.
    expect(output).toContain(`✓ member-a (member in main, quick) on ${worker.url}; num_ctx 8192 fits its 131072-token context`);
    expect(output).toContain(`✓ chair (chairman in main) on ${chairman.url}; num_ctx 4096 fits`);
    // best-of never calls its chairman: a chairman model nobody pulled is not a failure.
    expect(output).not.toContain("not-needed");
    expect(output).toContain(`✓ Discord accepts DISCORD_TOKEN: the bot`);
    expect(output).toContain("✓ /council, /council-health and /council-stats are registered globally");
    expect(output).toContain("✓ Slack accepts SLACK_BOT_TOKEN");
    expect(output).toContain("✓ Slack accepts SLACK_APP_TOKEN for Socket Mode");
    expect(output).toContain(`✓ the council database ${join(dir, "data", "council.db")} can be written`);
    expect(output).toMatch(/All \d+ checks passed\.\n$/);
  });

  it("only warns about a variable the shell exported for another tool, and still exits 0", async () => {
    const { code, output } = await doctor({ DISCORD_WEBHOOK: "https://discord.com/api/webhooks/1/x" });
    expect(output).toContain("! council bot: DISCORD_WEBHOOK is set in the environment but is not a council setting; ignoring it.");
    expect(code).toBe(0);
  });

  it("leaves out a chat platform that is not configured, without failing", async () => {
    const { code, output } = await doctor({ DISCORD_TOKEN: undefined, DISCORD_APP_ID: undefined, SLACK_BOT_TOKEN: undefined, SLACK_APP_TOKEN: undefined });
    expect(output).toContain("- Discord is not configured (DISCORD_TOKEN is empty)");
    expect(output).toContain("- Slack is not configured (SLACK_BOT_TOKEN is empty)");
    expect(code).toBe(0);
  });
});

describe("npm run doctor, settings", () => {
  it("reports a misspelt key in .env with the key meant, instead of crashing, and checks nothing that needs the settings", async () => {
    const { code, output } = await doctor({}, "CHAIRMAN_URLS=http://127.0.0.1:11434\n");
    expect(code).toBe(1);
    expect(failure(output, "1 setting needs fixing")).toContain("fix: CHAIRMAN_URLS is not a council setting. Did you mean CHAIRMAN_URL?");
    expect(output).toContain("Nothing else can be checked before the settings are fixed.");
    expect(output).not.toContain("Servers");
  });

  it("reports a bad value in .env with the setting, what is wrong and the fix", async () => {
    const { code, output } = await doctor({ WORKER_URLS: undefined }, "WORKER_URLS=pc2:8001\n");
    expect(code).toBe(1);
    expect(failure(output, "1 setting needs fixing")).toContain(
      'fix: WORKER_URLS="pc2:8001" has "pc2:8001", which is not an http:// or https:// URL (expected e.g. http://192.168.1.20:8001). Fix: list the workers',
    );
  });

  it("reports a presets file with a mistake, and checks the servers all the same", async () => {
    const broken = await writePresets("broken.json", { default: "main", presets: { main: { members: [{ name: "A", model: "member-a" }], chairman: "chair" } } });
    const { code, output } = await doctor({ COUNCIL_CONFIG: broken });
    expect(code).toBe(1);
    expect(failure(output, `The presets file ${broken} needs fixing`)).toContain("presets.main.members must have at least 2 members");
    expect(output).toContain(`✓ ${worker.url} (members): council worker`);
    expect(output).toContain("- not checked: the presets file needs fixing first");
  });
});

describe("npm run doctor, servers", () => {
  it("says that nothing answers at a worker URL, and how to start one", async () => {
    const { code, output } = await doctor({ WORKER_URLS: closedUrl });
    expect(code).toBe(1);
    expect(failure(output, `${closedUrl} (members): nothing answers (ECONNREFUSED)`)).toContain(
      "fix: start Ollama there (`ollama serve`; install it from https://ollama.com/download), or on a GPU box the council worker (`npm run worker`); or correct WORKER_URLS",
    );
    expect(output).toContain("- the member models are not checked: no server of WORKER_URLS is usable (see Servers)");
  });

  it("says that no Ollama answers at CHAIRMAN_URL, without blaming WORKER_URLS", async () => {
    const { code, output } = await doctor({ CHAIRMAN_URL: closedUrl });
    expect(code).toBe(1);
    const line = failure(output, `${closedUrl} (chairman): nothing answers`);
    expect(line).toContain("fix: start Ollama there (`ollama serve`; install it from https://ollama.com/download), or set CHAIRMAN_URL to an Ollama that runs");
    expect(line).not.toContain("WORKER_URLS");
  });

  it("reports a worker that refuses WORKER_TOKEN (401), and one that wants a token the bot does not send", async () => {
    const wrong = await doctor({ WORKER_TOKEN: "not-the-workers-token-0123" });
    expect(wrong.code).toBe(1);
    expect(failure(wrong.output, "the worker refused WORKER_TOKEN (401)")).toContain("fix: set WORKER_TOKEN in this machine's .env to the same value as WORKER_TOKEN in the worker's .env");
    const none = await doctor({ WORKER_TOKEN: undefined });
    expect(failure(none.output, "the worker wants a token, and WORKER_TOKEN is not set here")).toContain("fix: set WORKER_TOKEN in this machine's .env");
  });

  it("tells a worker whose Ollama is down from a worker that is down", async () => {
    const orphan = await startWorker(closedUrl);
    try {
      const { code, output } = await doctor({ WORKER_URLS: orphan.url });
      expect(code).toBe(1);
      expect(failure(output, `${orphan.url} (members): the worker answers, but its Ollama does not`)).toContain(
        "fix: on the worker's machine, start Ollama (`ollama serve`; install it from https://ollama.com/download), or correct OLLAMA_URL in the worker's .env",
      );
    } finally {
      await orphan.close();
    }
  });

  it("says so when a worker checks no token", async () => {
    const open = await startWorker(members.url);
    try {
      const { output } = await doctor({ WORKER_URLS: open.url });
      expect(output).toContain(`✓ the worker at ${open.url} asks for no token (it has no WORKER_TOKEN, so it listens on its own machine only)`);
    } finally {
      await open.close();
    }
  });
});

describe("npm run doctor, models", () => {
  it("names a member model that is not pulled, and the machine that must pull it", async () => {
    const file = await writePresets("missing-member.json", { default: "main", presets: { main: { ...PRESETS.presets.main, members: [{ name: "A", model: "member-a" }, { name: "Z", model: "member-z" }] } } });
    const plain = await doctor({ COUNCIL_CONFIG: file, WORKER_URLS: members.url });
    expect(plain.code).toBe(1);
    expect(failure(plain.output, "member-z (member in main) is not pulled where it will run (WORKER_URLS)")).toContain(`fix: run \`ollama pull member-z\` on the machine of ${members.url}`);
  });

  it("offers to take a preset other than the default out of the file, rather than pull its models", async () => {
    const file = await writePresets("missing-other.json", {
      default: "main",
      presets: { main: PRESETS.presets.main, tiny: { members: [{ name: "A", model: "member-a" }, { name: "T", model: "member-tiny" }], chairman: "chair" } },
    });
    const { code, output } = await doctor({ COUNCIL_CONFIG: file, WORKER_URLS: members.url });
    expect(code).toBe(1);
    expect(failure(output, "member-tiny (member in tiny) is not pulled")).toContain(
      `fix: run \`ollama pull member-tiny\` on the machine of ${members.url}, or take preset tiny out of the presets file if you do not use it`,
    );
    const refused = await doctor({ COUNCIL_CONFIG: file });
    expect(failure(refused.output, "member-tiny (member in tiny) is not allowed")).toContain("or take preset tiny out of the presets file if you do not use it");
    const onlyDefault = await doctor({ COUNCIL_CONFIG: await writePresets("missing-default.json", { default: "main", presets: { main: { ...PRESETS.presets.main, chairman: "chair-xl" } } }) });
    expect(failure(onlyDefault.output, "chair-xl (chairman in main) is not pulled")).not.toContain("out of the presets file");
  });

  it("names a chairman model that is not pulled, on the machine of CHAIRMAN_URL", async () => {
    const file = await writePresets("missing-chair.json", { default: "main", presets: { main: { ...PRESETS.presets.main, chairman: "chair-xl" } } });
    const { code, output } = await doctor({ COUNCIL_CONFIG: file });
    expect(code).toBe(1);
    expect(failure(output, "chair-xl (chairman in main) is not pulled where it will run (CHAIRMAN_URL)")).toContain(
      `fix: run \`ollama pull chair-xl\` on the machine CHAIRMAN_URL points at (${chairman.url})`,
    );
  });

  it("names a model the worker's WORKER_MODELS leaves out (403), although it is pulled", async () => {
    const file = await writePresets("not-allowed.json", { default: "main", presets: { main: { ...PRESETS.presets.main, members: [{ name: "A", model: "member-a" }, { name: "C", model: "member-c" }] } } });
    const { code, output } = await doctor({ COUNCIL_CONFIG: file });
    expect(code).toBe(1);
    expect(failure(output, `member-c (member in main) is not allowed on the worker at ${worker.url} (its WORKER_MODELS leaves it out)`)).toContain(
      "fix: add member-c to WORKER_MODELS in the .env of that worker and restart it",
    );
  });

  it("reports a num_ctx larger than the context the model was trained for, with the value to set", async () => {
    const file = await writePresets("big-context.json", {
      default: "main",
      presets: { main: { ...PRESETS.presets.main, members: [{ name: "A", model: "member-a" }, { name: "S", model: "small-context" }] } },
    });
    const { code, output } = await doctor({ COUNCIL_CONFIG: file });
    expect(code).toBe(1);
    expect(failure(output, "small-context (member in main) on")).toContain("num_ctx 4096 is more than the 2048 tokens it was trained for");
    expect(failure(output, "small-context (member in main) on")).toContain('fix: in the presets file, set limits.numCtx["small-context"] to 2048 or less in preset main');
  });
});

describe("npm run doctor, Discord", () => {
  it("reports a token Discord refuses", async () => {
    const { code, output } = await doctor({ DISCORD_TOKEN: "someone-elses-discord-token-0123456789" });
    expect(code).toBe(1);
    expect(failure(output, "Discord refused DISCORD_TOKEN (401 Unauthorized)")).toContain("fix: in the developer portal, reset the bot's token");
  });

  it("reports a DISCORD_APP_ID that is not the token's application", async () => {
    const { code, output } = await doctor({ DISCORD_APP_ID: "123456789012345678" });
    expect(code).toBe(1);
    expect(failure(output, `DISCORD_APP_ID is 123456789012345678, but DISCORD_TOKEN is the bot of application ${discord.applicationId}`)).toContain(
      `fix: set DISCORD_APP_ID=${discord.applicationId}`,
    );
  });

  it("reports commands that are not registered where the bot looks for them", async () => {
    const { code, output } = await doctor({ DISCORD_GUILD_ID: discord.guildId });
    expect(code).toBe(1);
    expect(failure(output, `/council and /council-health are not registered on server ${discord.guildId}`)).toContain("fix: run `npm run register`");
  });

  it("reports commands registered before the presets changed", async () => {
    const route = Routes.applicationGuildCommands(discord.applicationId, discord.guildId);
    await registerCommands(route, ["main"]);
    try {
      const { code, output } = await doctor({ DISCORD_GUILD_ID: discord.guildId });
      expect(code).toBe(1);
      expect(failure(output, "/council offers the presets main, but the presets file has main, quick")).toContain("fix: run `npm run register` again");
    } finally {
      await new REST({ api: discord.restBase }).setToken(DISCORD_TOKEN).put(route, { body: [] });
    }
  });
});

describe("npm run doctor, Slack", () => {
  it("reports a bot token Slack refuses", async () => {
    const { code, output } = await doctor({ SLACK_BOT_TOKEN: "xoxb-someone-elses-0123456789" });
    expect(code).toBe(1);
    expect(failure(output, "Slack refused SLACK_BOT_TOKEN (invalid_auth)")).toContain("fix: copy the Bot User OAuth Token (xoxb-…)");
  });

  it("reports an app-level token that cannot open Socket Mode", async () => {
    const { code, output } = await doctor({ SLACK_APP_TOKEN: "xapp-1-someone-elses-0123456789" });
    expect(code).toBe(1);
    expect(failure(output, "Slack refused SLACK_APP_TOKEN for Socket Mode (invalid_auth)")).toContain("connections:write");
  });
});

describe("npm run doctor, database", () => {
  it("reports a COUNCIL_DB that cannot be written", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "not a folder");
    const { code, output } = await doctor({ COUNCIL_DB: join(file, "council.db") });
    expect(code).toBe(1);
    expect(failure(output, `the council database ${join(file, "council.db")} cannot be written`)).toContain("fix: set COUNCIL_DB to a file in a folder this user may write");
  });
});

describe("npm run doctor, as npm runs it", () => {
  const run = (cwd: string) =>
    promisify(execFile)(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "adapters/doctor/main.ts")], {
      cwd,
      env: { PATH: process.env.PATH },
      timeout: 30_000,
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it("reads .env in its folder and exits 0 when everything passes, 1 when something fails", async () => {
    const good = await mkdtemp(join(dir, "good-"));
    await writeFile(join(good, ".env"), Object.entries(goodSettings()).map(([key, value]) => `${key}=${value}`).join("\n"));
    const passed = await run(good);
    expect(passed.stdout).toContain(`settings from ${join(good, ".env")} and the environment`);
    expect(passed).toMatchObject({ code: 0 });

    const bad = await mkdtemp(join(dir, "bad-"));
    await writeFile(join(bad, ".env"), Object.entries({ ...goodSettings(), CHAIRMAN_URL: closedUrl }).map(([key, value]) => `${key}=${value}`).join("\n"));
    const failed = await run(bad);
    expect(failed.stdout).toContain(`✗ ${closedUrl} (chairman): nothing answers`);
    expect(failed).toMatchObject({ code: 1 });
  });
});
