import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort } from "../../src/llm/test-helpers.js";
import { TEST_PRESETS } from "../../test-support/test-council.js";

// A newcomer's first `npm start` with no Ollama running: the bot's entry, as npm start runs it
// (src/main.ts, here through tsx rather than the bundle), in a folder without a .env, with
// every setting in its environment and nothing listening at the URL.

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** With `stdin: "ignore"`, the bot's standard input is /dev/null, as systemd and compose give a service. */
async function startWithNoOllama(settings: Record<string, string> = {}, stdin: "pipe" | "ignore" = "pipe") {
  dir = await mkdtemp(join(tmpdir(), "council-first-run-"));
  const presets = join(dir, "presets.json");
  await writeFile(presets, JSON.stringify(TEST_PRESETS));
  const url = `http://127.0.0.1:${await closedPort()}`;
  const child = spawn(process.execPath, ["--import", TSX, MAIN], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, WORKER_URLS: url, CHAIRMAN_URL: url, COUNCIL_CONFIG: presets, COUNCIL_DB: join(dir, "council.db"), ...settings },
    stdio: [stdin, "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end("/quit\n");
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  return { url, code, stdout, stderr };
}

const jsonLines = (text: string) => text.split("\n").filter((line) => line.trimStart().startsWith("{"));

describe("npm start with no Ollama running (the console)", () => {
  it("says once that nothing answers at the address and how to start Ollama, blames no worker, and logs nothing", async () => {
    const { url, code, stdout, stderr } = await startWithNoOllama();
    expect(code).toBe(0);
    expect(stdout).toContain(
      `  ✗ members and chairman: nothing answers at ${url} (ECONNREFUSED): start the council worker there (\`npm run worker\`), or Ollama (\`ollama serve\`; to install it: https://ollama.com/download), or correct WORKER_URLS and CHAIRMAN_URL if it runs elsewhere\n`,
    );
    expect((stdout + stderr).match(/ollama serve/g)).toHaveLength(1);
    expect(stdout).toContain("Questions will fail until the members' server answers.");
    expect(stdout).not.toMatch(/worker not reachable|WORKER_URLS right/);
    // The prompt's help comes right after the preset, not under a pile of warnings.
    expect(stdout).toMatch(/\(models not checked where their server did not answer\)\n\nAsk a question/);
    expect(stderr).toBe("");
  });

  it("with LOG_LEVEL set, logs lines of text, never JSON", async () => {
    const { code, stdout, stderr } = await startWithNoOllama({ LOG_LEVEL: "debug" });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^council warning \(llm-router\): worker down; skipping it \(url: http:/m);
    expect(jsonLines(stderr)).toEqual([]);
    expect(jsonLines(stdout)).toEqual([]);
  });
});

describe("npm start with no chat tokens as a service (standard input /dev/null)", () => {
  it("does not open a console nobody can type in: it exits 2, saying that no platform is set and what to do", async () => {
    const { code, stdout, stderr } = await startWithNoOllama({}, "ignore");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("No chat platform is set (DISCORD_TOKEN with DISCORD_APP_ID, or SLACK_BOT_TOKEN)");
    expect(stderr).toContain("Fix: set the tokens of Discord or Slack in .env");
    expect(stderr).toContain("docker compose run --rm bot");
  });
});

describe("npm start's exit code says whether a restart can help", () => {
  it("a chat platform unreachable at start is 1, an unexpected failure a supervisor retries (2 would stop systemd's restarts)", async () => {
    const discord = `http://127.0.0.1:${await closedPort()}/api`;
    const { code, stderr } = await startWithNoOllama({ DISCORD_TOKEN: "MTIzNDU2.first-run-test-token.0123456789", DISCORD_APP_ID: "123", DISCORD_API_URL: discord }, "ignore");
    expect(stderr).toContain("council failed to start: Error: connect ECONNREFUSED");
    expect(code).toBe(1);
  });
});
