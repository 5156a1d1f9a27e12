import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readItems } from "../../src/eval/read-items.js";
import { type FakeOllama, quizModels, startFakeOllama } from "../../test-support/fake-ollama/index.js";

// `npm run eval`'s entry in its own process, as a user runs it: Ctrl-C (SIGINT) stops it after
// cancelling the item in progress, keeps the items done, and the same command continues.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DATA = join(ROOT, "eval/sample.jsonl");

let fake: FakeOllama & { close(): Promise<void> };
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const { items } = await readItems(DATA);
  // Slow enough that Ctrl-C lands while an item is in progress.
  fake = await startFakeOllama({ models: quizModels({ items, accuracy: { "p-a": 0.6, "p-b": 0.7, "p-chair": 0.8 }, model: { decodeTokensPerSecond: 30 } }) });
  dir = await mkdtemp(join(tmpdir(), "council-eval-process-"));
  const presets = join(dir, "presets.json");
  await writeFile(presets, JSON.stringify({ default: "pair", presets: { pair: { members: [{ name: "A", model: "p-a" }, { name: "B", model: "p-b" }], chairman: "p-chair" } } }));
  env = { PATH: [dirname(process.execPath), process.env.PATH].join(delimiter), HOME: dir, WORKER_URLS: fake.url, CHAIRMAN_URL: fake.url, COUNCIL_CONFIG: presets };
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

function evaluate(args: string[], onStderr: (text: string, stop: () => void) => void = () => {}) {
  const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "adapters/console/eval-main.ts"), ...args], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr(stderr, () => child.kill("SIGINT"));
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

describe("npm run eval in its own process", () => {
  it("stops on Ctrl-C keeping the items done, and the same command continues to the end", { timeout: 120_000 }, async () => {
    const args = ["--data", DATA, "--limit", "3", "--strategies", "vote", "--budget-k", "2", "--results", join(dir, "runs")];
    let interrupted = false;
    const stopped = await evaluate(args, (stderr, stop) => {
      // Once the first item is in, the second is under way: stop it there.
      if (!interrupted && /^1\/3 /m.test(stderr)) {
        interrupted = true;
        stop();
      }
    });
    expect(stopped.stderr).toContain("Stopping: the item in progress is cancelled; the items done are kept.");
    expect(stopped.code).toBe(130);
    const lines = (await readFile(join(dir, "runs", "sample-pair.jsonl"), "utf8")).trim().split("\n");
    const kept = lines.length - 1;
    // The item in progress is not kept; on a slow machine the signal may land after it ended.
    expect(kept === 1 || kept === 2).toBe(true);
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(["run", ...Array(kept).fill("item")]);
    expect(stopped.stdout).toMatch(new RegExp(`^Preset pair, ${kept} items?; best member alone: p-[ab]$`, "m"));

    const continued = await evaluate(args);
    expect(continued.stderr).toContain(`${kept} of 3 items already done`);
    expect(continued.code).toBe(0);
    expect(continued.stdout).toMatch(/^Preset pair, 3 items; best member alone: p-[ab]$/m);
  });
});
