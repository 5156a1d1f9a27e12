import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeDiscord, type RecordedCall, startFakeDiscord } from "../test-support/fake-discord/index.js";
import { type FakeOllamaServer, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { freePort } from "../test-support/free-port.js";
import { TEST_PRESETS } from "../test-support/test-council.js";

// METRICS_PORT as the composition root (src/main.ts) applies it: the whole bot on Discord,
// started as `npm start` starts it, with the ports its process listens on read from Linux's
// /proc (a Discord bot in gateway mode listens on none of its own). Set: /metrics on
// 127.0.0.1 only, counting the council it served, and closed by the drain. Unset: no port.

const TOKEN = "MTIzNDU2.fake-discord-token.0123456789";
const root = fileURLToPath(new URL("..", import.meta.url));
const descriptionOf = (call: RecordedCall) => String((call.body as { embeds?: Array<{ description?: string }> } | undefined)?.embeds?.[0]?.description ?? "");

let ollama: FakeOllamaServer;
let discord: FakeDiscord;
let dir: string;
let bot: ChildProcess | undefined;
let stdout = "";

beforeEach(async () => {
  ollama = await startFakeOllama({ models: { "member-a": {}, "member-b": {}, chair: { answer: "Blue light scatters most." } } });
  discord = await startFakeDiscord({ token: TOKEN });
  dir = await mkdtemp(join(tmpdir(), "council-metrics-"));
  await writeFile(join(dir, "presets.json"), JSON.stringify(TEST_PRESETS));
});
afterEach(async () => {
  if (bot?.exitCode === null) bot.kill("SIGKILL");
  bot = undefined;
  await discord.close();
  await ollama.close();
  await rm(dir, { recursive: true, force: true });
});

function startBot(env: Record<string, string>): ChildProcess {
  stdout = "";
  const loader = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", loader, join(root, "src/main.ts")], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      WORKER_URLS: ollama.url,
      CHAIRMAN_URL: ollama.url,
      COUNCIL_CONFIG: join(dir, "presets.json"),
      COUNCIL_PRESET: "pair",
      DISCORD_TOKEN: TOKEN,
      DISCORD_APP_ID: discord.applicationId,
      DISCORD_API_URL: discord.restBase,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  bot = child;
  return child;
}

async function logged(message: string): Promise<void> {
  await expect.poll(() => stdout.includes(`"msg":"${message}"`) || bot?.exitCode !== null, { timeout: 20_000 }).toBe(true);
  if (bot?.exitCode !== null) throw new Error(`the bot exited (${bot?.exitCode}):\n${stdout.slice(-3000)}`);
}

/** The TCP addresses the process listens on ("127.0.0.1:9464"; IPv6 ones as /proc shows them). */
async function listening(pid: number): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const addresses: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const row of (await readFile(table, "utf8")).split("\n").slice(1)) {
      // Columns: sl, local_address, rem_address, st (0A: LISTEN), …, inode (the tenth).
      const [, local = "", , state, , , , , , inode = ""] = row.trim().split(/\s+/);
      if (state === "0A" && inodes.has(inode)) addresses.push(readableAddress(local));
    }
  }
  return addresses;
}

function readableAddress(local: string): string {
  const [host = "", port = ""] = local.split(":");
  // An IPv4 address is one little-endian word.
  const ip = host.length === 8 ? [3, 2, 1, 0].map((byte) => parseInt(host.slice(byte * 2, byte * 2 + 2), 16)).join(".") : host;
  return `${ip}:${parseInt(port, 16)}`;
}

describe("the bot's METRICS_PORT", () => {
  it("when set, serves /metrics on 127.0.0.1 only, counting the councils, until the drain closes it", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const child = startBot({ METRICS_PORT: String(port) });
    await logged("Discord gateway connected");
    await logged("metrics served for Prometheus");
    expect(await listening(child.pid ?? 0)).toEqual([`127.0.0.1:${port}`]);

    discord.dispatch("INTERACTION_CREATE", discord.interactionCommand({ name: "council", options: { question: "Why is the sky blue?" } }));
    await discord.waitForCall((call) => call.route === "editOriginal" && call.status === 200 && descriptionOf(call).startsWith("**Council completed"), 20_000);
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), { timeout: 5_000 })
      .toMatch(/^council_councils_total\{platform="discord",status="completed"\} 1$/m);

    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it("when unset, opens no port at all", { timeout: 60_000 }, async () => {
    const child = startBot({});
    await logged("Discord gateway connected");
    expect(await listening(child.pid ?? 0)).toEqual([]);
    expect(stdout).not.toContain("metrics served");
  });
});
