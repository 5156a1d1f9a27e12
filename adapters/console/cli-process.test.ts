import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { normalizeModelName } from "../../test-support/fake-ollama/index.js";
import { startTestCouncil } from "../../test-support/test-council.js";

// The CLI as a user starts it, in its own process: `npx council` and `npm run council` run in a
// folder laid out as the clone is (its package.json's name, bin and council script, the bin/
// folder), with every setting in the environment and no .env, against the fake Ollama
// through a real worker. npm is told never to download anything: `npx council` must find
// the project's own bin.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let council: Awaited<ReturnType<typeof startTestCouncil>> | undefined;
let dir: string | undefined;
afterEach(async () => {
  await council?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  council = undefined;
  dir = undefined;
});

async function cloneLike(settings: { decodeTokensPerSecond?: number } = {}) {
  council = await startTestCouncil(settings);
  dir = await mkdtemp(join(tmpdir(), "council-cli-"));
  const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; bin: unknown; scripts: Record<string, string> };
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: manifest.name, version: manifest.version, private: true, bin: manifest.bin, scripts: { council: manifest.scripts.council } }),
  );
  await symlink(join(ROOT, "bin"), join(dir, "bin"));
  const presets = join(dir, "presets.json");
  const members = [
    { name: "Alpha", model: "member-a" },
    { name: "Bravo", model: "member-b" },
  ];
  const limits = { callTimeoutSeconds: 20, stageTimeoutSeconds: 30 };
  await writeFile(
    presets,
    JSON.stringify({
      default: "pair",
      presets: { pair: { members, chairman: "chair", limits }, facts: { members, chairman: "chair", strategy: "weighted", limits } },
    }),
  );
  const env = {
    PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    HOME: dir,
    npm_config_yes: "false",
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    WORKER_URLS: council.worker.url,
    CHAIRMAN_URL: council.fake.url,
    COUNCIL_CONFIG: presets,
  };
  return { cwd: dir, env, fake: council.fake };
}

function outcome(child: ChildProcess) {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

describe("the CLI in its own process", () => {
  it("runs the README's --json pipe exactly as written, and what comes out of it is JSON", { timeout: 60_000 }, async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const documented = readme.split("\n").find((line) => line.startsWith("npx council ") && line.includes(" --json | "));
    expect(documented, "the README shows a --json pipe").toBeDefined();
    const world = await cloneLike();
    const piped = await outcome(spawn("sh", ["-c", documented as string], { ...world, stdio: ["ignore", "pipe", "pipe"] }));
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(0);
    const verdict = JSON.parse(piped.stdout) as { text: string; by: { kind: string } };
    expect(verdict.by.kind).toBe("majority");
    expect(verdict.text).toContain("deterministic reply from the fake Ollama");
  });

  it("npm run council: Ctrl-C (SIGINT to the terminal's process group) cancels the council, says so, and exits 130", { timeout: 60_000 }, async () => {
    const world = await cloneLike({ decodeTokensPerSecond: 5 });
    const child = spawn("npm", ["run", "-s", "council", "--", "Why is the sky blue?"], { ...world, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const done = outcome(child);
    await world.fake.waitForRequest((request) => request.path === "/api/chat" && normalizeModelName(request.model ?? "") === "member-a:latest", 30_000);
    process.kill(-(child.pid as number), "SIGINT");
    const { code, stdout, stderr } = await done;
    expect(code).toBe(130);
    expect(stdout).toMatch(/\nCouncil cancelled in /);
    expect(stdout).not.toMatch(/failed/);
    expect(stderr).toBe("Cancelled.\n");
  });
});
