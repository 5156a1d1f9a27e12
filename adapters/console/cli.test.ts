import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { pino } from "pino";
import { openCouncilRecorder } from "../../src/council-recorder.js";
import { afterEach, describe, expect, it } from "vitest";
import { botSettings } from "../../config/bot.js";
import { closedPort } from "../../src/llm/test-helpers.js";
import { OPTIONS } from "./args.js";
import { EXIT, runCli } from "./cli.js";
import { HELP_SETTINGS } from "./help.js";
import type { CouncilJson } from "./json-result.js";
import { captureOutput } from "./capture-output.js";
import { normalizeModelName } from "../../test-support/fake-ollama/index.js";
import { BROKEN_MODEL_ERROR, startTestCouncil } from "../../test-support/test-council.js";

let council: Awaited<ReturnType<typeof startTestCouncil>> | undefined;
afterEach(async () => {
  await council?.close();
  council = undefined;
});

/** Questions put to a member model (a preload is a chat without messages). */
function answersAsked(): number {
  return (council?.fake.requests ?? []).filter((request) => request.path === "/api/chat" && ((request.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0).length;
}

async function run(argv: string[], options: { workerUrl?: string; chairmanUrl?: string; isTTY?: boolean; recordIn?: string } = {}) {
  council = await startTestCouncil(options);
  const stdout = captureOutput({ isTTY: options.isTTY ?? false, columns: 100, rows: 40 });
  const stderr = captureOutput();
  const { recordIn } = options;
  const openRecorder = recordIn === undefined ? undefined : () => openCouncilRecorder(recordIn, "ann", pino({ enabled: false }));
  const code = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream, openCore: council.openCore, ...(openRecorder && { openRecorder }) });
  // Let the capture streams deliver what was written.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("npm run council", () => {
  it("--json: a partial council, the broken member failed with its reason, the others answered, a verdict", async () => {
    const { code, stdout, stderr } = await run(["Why is the sky blue?", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.answered);
    const result = JSON.parse(stdout) as CouncilJson;
    expect(result.question).toBe("Why is the sky blue?");
    expect(result.status).toBe("partial");
    expect(result.reason).toContain("Broken failed");

    const byName = new Map(result.members.map((member) => [member.name, member]));
    expect(byName.get("Broken")).toMatchObject({ model: "member-broken", status: "failed", usage: null, latencyMs: null });
    expect(byName.get("Broken")?.error?.message).toContain(BROKEN_MODEL_ERROR);
    for (const name of ["Alpha", "Bravo"]) {
      const member = byName.get(name);
      expect(member).toMatchObject({ status: "answered" });
      expect(member?.answer).toContain("deterministic reply from the fake Ollama");
      expect(member?.usage?.promptTokens).toBeGreaterThan(0);
      expect(member?.usage?.completionTokens).toBeGreaterThan(0);
      expect(member?.latencyMs).toBeGreaterThan(0);
    }

    expect(result.ballots.map((ballot) => ballot.reviewer).sort()).toEqual(["Alpha", "Bravo"]);
    expect(result.ranking.map((row) => row.name).sort()).toEqual(["Alpha", "Bravo"]);
    expect(result.verdict).toEqual({
      text: "The chairman's answer: the sky is blue because air scatters blue light most.",
      by: { kind: "chairman", model: "chair" },
    });
    // Two answers, two ballots, the chairman's two reads ahead and its answer, each counted once.
    expect(result.usage.calls).toBe(7);
    expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.completionTokens);
    expect(Object.keys(result.latency.byStage).sort()).toEqual(["answers", "review", "synthesis"]);
    expect(result.latency.totalMs).toBeGreaterThan(0);
  });

  it("on a pipe: plain lines without ANSI or per-token output, then the answer and the footer", async () => {
    const { code, stdout } = await run(["Why is the sky blue?", "--preset", "pair"]);
    expect(code).toBe(EXIT.answered);
    expect(stdout).not.toContain("\x1b");
    expect(stdout).toMatch(/^Council "pair" \(synthesis, ranking review\): Alpha \(member-a\), Bravo \(member-b\), chairman chair\n/);
    expect(stdout).toMatch(/\nAlpha answered in .+ tokens\n/);
    expect(stdout).toContain("Answer by the chairman (chair):\nThe chairman's answer");
    expect(stdout).toMatch(/\nCouncil completed in .+\nTokens: .+ total.*\nTime: opinions .+ total .+\n$/);
  });

  it("on a terminal: redraws in place and ends on the finished frame", async () => {
    const { code, stdout } = await run(["Why is the sky blue?", "--preset", "pair"], { isTTY: true });
    expect(code).toBe(EXIT.answered);
    const frames = stdout.split("\x1b[J");
    expect(frames.length).toBeGreaterThan(1);
    const last = frames.at(-1) ?? "";
    expect(last).toMatch(/^Council completed in /);
    expect(last).toContain("🥇");
    expect(last).toContain("Answer by the chairman (chair)");
  });

  it("exits 1 when the council fails, saying why", async () => {
    const { code, stdout, stderr } = await run(["Why?", "--members", "member-broken,member-broken", "--json"]);
    expect(code).toBe(EXIT.failed);
    expect(JSON.parse(stdout)).toMatchObject({ status: "failed", verdict: null });
    expect(stderr).toMatch(/^The council failed: every member failed: /);
    expect(stderr).toContain(BROKEN_MODEL_ERROR);
  });

  it("exits 2 naming the URLs when no worker answers", async () => {
    const workerUrl = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await run(["Why?"], { workerUrl });
    expect(code).toBe(EXIT.badInput);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^No server of WORKER_URLS answered, so no member can answer:\n/);
    expect(stderr).toContain(`✗ members: nothing answers at ${workerUrl} (ECONNREFUSED): start the council worker there (\`npm run worker\`)`);
    expect(stderr).toContain("or correct WORKER_URLS if it runs elsewhere");
  });

  it("warns about a server that does not answer and goes on: without its chairman, the top-ranked answer, labelled", async () => {
    const chairmanUrl = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await run(["Why is the sky blue?", "--preset", "pair", "--json"], { chairmanUrl });
    expect(code).toBe(EXIT.answered);
    expect(stderr).toMatch(/^Some servers did not answer; the council goes on without them:\n {2}✗ chairman: no Ollama answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start it with `ollama serve`/);
    expect(stderr).toContain("or correct CHAIRMAN_URL if it runs elsewhere");
    const result = JSON.parse(stdout) as CouncilJson;
    expect(result.status).toBe("partial");
    expect(result.verdict?.by).toMatchObject({ kind: "top-ranked" });
    expect(result.verdict?.text).toContain("deterministic reply from the fake Ollama");
  });

  it("refuses to start when a member's model is not installed (a typo), naming the model and the worker that must pull it", async () => {
    const { code, stdout, stderr } = await run(["Why?", "--members", "member-a,member-bb"]);
    expect(code).toBe(EXIT.badInput);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^The council did not start: a model it needs is not installed\.\n/);
    expect(stderr).toContain(
      `  model member-bb is not installed at ${council?.worker.url} (WORKER_URLS); run \`ollama pull member-bb\` on that machine (or did you mean member-b?)`,
    );
    expect(answersAsked()).toBe(0);
  });

  it("refuses to start when the chairman's model is not installed, naming CHAIRMAN_URL's machine", async () => {
    const { code, stderr } = await run(["Why?", "--preset", "pair", "--chairman", "llama3.1:8b"]);
    expect(code).toBe(EXIT.badInput);
    expect(stderr).toContain(`model llama3.1:8b is not installed at ${council?.fake.url} (CHAIRMAN_URL); run \`ollama pull llama3.1:8b\` on that machine`);
    expect(stderr).not.toMatch(/PC2|worker/);
    expect(answersAsked()).toBe(0);
  });

  it("records the council in COUNCIL_DB as the console's, with its summary for the statistics, unless --no-record", async () => {
    const dir = await mkdtemp(join(tmpdir(), "council-cli-record-"));
    try {
      const path = join(dir, "council.db");
      expect((await run(["Why is the sky blue?", "--json"], { recordIn: path })).code).toBe(EXIT.answered);
      await council?.close();
      expect((await run(["--no-record", "Why is the grass green?", "--json"], { recordIn: path })).code).toBe(EXIT.answered);
      const db = new Database(path, { readonly: true });
      const rows = db.prepare("SELECT platform, asker, question, preset, status FROM councils").all();
      const summaries = db.prepare("SELECT sum(councils) FROM summary_hours").pluck().get();
      db.close();
      expect(rows).toEqual([{ platform: "console", asker: "ann", question: "Why is the sky blue?", preset: "trio", status: "partial" }]);
      expect(summaries).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("--help lists every option, the settings it reads and the exit codes, without settings or servers", async () => {
    const stdout = captureOutput();
    const code = await runCli(["--help"], { stdout: stdout.stream, stderr: captureOutput().stream, openCore: () => expect.fail("--help needs no core") });
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(EXIT.answered);
    const help = stdout.text();
    for (const [name, option] of Object.entries(OPTIONS)) {
      // An option on by default is written the way it is used: --no-NAME.
      expect(help).toContain("default" in option && option.default === true ? `--no-${name}` : `--${name}`);
      if ("short" in option) expect(help).toContain(`-${option.short}, --${name}`);
    }
    const settings = Object.keys(botSettings.shape);
    for (const setting of HELP_SETTINGS) {
      expect(settings).toContain(setting);
      expect(help).toContain(`  ${setting}`);
    }
    for (const code of Object.values(EXIT)) expect(help).toMatch(new RegExp(`^ {2}${code} +\\S`, "m"));
  });

  it("--version prints package.json's version", async () => {
    const stdout = captureOutput();
    const code = await runCli(["--version"], { stdout: stdout.stream, stderr: captureOutput().stream, openCore: () => expect.fail("--version needs no core") });
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).toBe(EXIT.answered);
    const { version } = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(stdout.text()).toBe(`${version}\n`);
  });

  it.each([
    [[], /No question given/],
    [["q", "--strategy", "voting"], /--strategy "voting" is not one of/],
    [["q", "--preset", "nope"], /There is no preset "nope" in .*; the presets are: trio, pair/],
    [["x".repeat(5000)], /The question is 5000 characters long; the limit is 4000/],
  ])("exits 2 on bad input %#, with the fix", async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(EXIT.badInput);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("cancels the council when the signal aborts, and exits 130", async () => {
    council = await startTestCouncil();
    council.fake.setModel("member-a", { decodeTokensPerSecond: 5 });
    const interrupt = new AbortController();
    const stdout = captureOutput();
    const stderr = captureOutput();
    const running = runCli(["Why?", "--preset", "pair"], { stdout: stdout.stream, stderr: stderr.stream, openCore: council.openCore, signal: interrupt.signal });
    await council.fake.waitForRequest((request) => normalizeModelName(request.model ?? "") === "member-a:latest" && request.path === "/api/chat");
    interrupt.abort();
    expect(await running).toBe(EXIT.cancelled);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stderr.text()).toContain("Cancelled.");
    // What was drawn says cancelled: nothing failed.
    expect(stdout.text()).toMatch(/\nCouncil cancelled in [^\n]+\n/);
    expect(stdout.text()).not.toMatch(/failed/);
  });

  it("--json: a cancelled council's status is cancelled", async () => {
    council = await startTestCouncil();
    council.fake.setModel("member-a", { decodeTokensPerSecond: 5 });
    const interrupt = new AbortController();
    const stdout = captureOutput();
    const running = runCli(["Why?", "--preset", "pair", "--json"], { stdout: stdout.stream, stderr: captureOutput().stream, openCore: council.openCore, signal: interrupt.signal });
    await council.fake.waitForRequest((request) => normalizeModelName(request.model ?? "") === "member-a:latest" && request.path === "/api/chat");
    interrupt.abort();
    expect(await running).toBe(EXIT.cancelled);
    await new Promise((resolve) => setImmediate(resolve));
    const result = JSON.parse(stdout.text()) as CouncilJson;
    expect(result.status).toBe("cancelled");
    expect(result.reason).toBeUndefined();
    expect(result.members.every((member) => member.error?.kind === "cancelled")).toBe(true);
  });
});
