import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeHostileVariables } from "./hermetic-env.js";

// The suite passes on a developer's machine whatever their shell exports and whatever their
// .env says (the README tells them to create one). Proven by running a part of the suite that
// loads settings in process and in spawned entry points, from a working directory holding a
// hostile .env, with hostile variables exported.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPRESENTATIVE = [
  "config/settings-origin.test.ts",
  "adapters/discord/register.test.ts",
  "src/worker-access-from-bot.test.ts",
];
const HOSTILE: Record<string, string> = {
  WORKER_URLS: "not-a-url",
  WORKER_TOKEN: "short",
  WORKER_HOST: "0.0.0.0",
  WORKER_PORT: "1",
  CHAIRMAN_URL: "http://hostile.invalid:1",
  COUNCIL_CONFIG: "/nonexistent/presets.json",
  COUNCIL_DB: "/proc/hostile/council.db",
  COUNCIL_PRESETT: "typo",
  DISCORD_TOKEN: "hostile-discord-token-0123456789",
  DISCORD_APP_ID: "not-a-number",
  DISCORD_GUILD_ID: "999",
  DISCORD_WEBHOOK: "https://discord.com/api/webhooks/1/x",
  SLACK_BOT_TOKEN: "not-a-bot-token",
  SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/x",
  LOG_LEVEL: "loud",
  OLLAMA_URL: "ftp://hostile.invalid",
  OLLAMA_HOST: "http://hostile.invalid:1",
  // Node 24 sends fetch through HTTP_PROXY when NODE_USE_ENV_PROXY is set: nothing listens on port 9.
  NODE_USE_ENV_PROXY: "1",
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  FORCE_COLOR: "3",
};

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), "council-hostile-"));
  const dotEnv = Object.entries({ ...HOSTILE, WORKER_URLS: "http://hostile.invalid:2", DISCORD_GUILD: "typo" })
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
  await writeFile(join(cwd, ".env"), `${dotEnv}\n`);
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe("a hermetic suite", () => {
  it("passes with a hostile .env in its working directory and hostile variables exported", async () => {
    const run = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", ROOT, "--reporter", "dot", ...REPRESENTATIVE],
      { cwd, env: { ...process.env, ...HOSTILE }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
    // FORCE_COLOR reaches vitest's own reporter, which is not under test: its colours are cut.
    const output = stripVTControlCharacters(`${run.stdout ?? ""}\n${run.stderr ?? ""}`);
    expect(output, output).toMatch(new RegExp(`Test Files\\s+\\S*${REPRESENTATIVE.length} passed`));
    expect("code" in run ? run.code : 0, output).toBe(0);
  }, 120_000);

  it("removes council settings, Ollama's, proxies and colour switches, and keeps the rest", () => {
    const env = { ...HOSTILE, http_proxy: "http://127.0.0.1:9", PATH: "/usr/bin", HOME: "/home/x", NODE_OPTIONS: "--max-old-space-size=4096" };
    const removed = removeHostileVariables(env);
    expect(removed.sort()).toEqual([...Object.keys(HOSTILE), "http_proxy"].sort());
    expect(env).toEqual({ PATH: "/usr/bin", HOME: "/home/x", NODE_OPTIONS: "--max-old-space-size=4096" });
  });
});
