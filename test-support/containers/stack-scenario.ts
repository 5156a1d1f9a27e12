import { join } from "node:path";
import { loadPresets } from "../../config/presets.js";
import type { Engine } from "./engine.js";
import { type Follower, follow } from "./follow.js";
import { pinBridgeAddress } from "./pin-bridge-address.js";
import type { StopGrace } from "./service-definitions.js";
import { type Stack, type StackImages, WORKER_URL, writeStack } from "./stack.js";
import { expect, step } from "./step.js";
import { writeSeccompProfile } from "./syscall-filter.js";

// The stack brought up with compose and used as its users would, with the worker and the bot
// under the syscall filters of their systemd units as well: every health check passes, a
// council asked on Slack runs through the worker, the bot stopped with SIGTERM in the middle of
// a council lets it finish and exits 0, and the worker stopped with SIGTERM in the middle of a
// generation lets it finish and exits 0. What is left is the engine's to remove.

const HEALTHY_WITHIN_MS = 120_000;
const COUNCIL_MS = 180_000;
const AFTER_EXIT_MS = 10_000;

/** `stopGrace`, from checkComposeFile: how long compose lets the worker and the bot take to exit after SIGTERM. */
export async function runStackScenario(engine: Engine, root: string, project: string, images: StackImages, stopGrace: StopGrace): Promise<void> {
  const seccomp = { worker: join(engine.dir, "seccomp-worker.json"), bot: join(engine.dir, "seccomp-bot.json") };
  await step("the units' syscall filters, as seccomp profiles for the stack", async () => {
    await writeSeccompProfile(join(root, "deploy/council-worker.service"), seccomp.worker);
    await writeSeccompProfile(join(root, "deploy/council-bot.service"), seccomp.bot);
  });
  const stack = await writeStack(engine, root, project, images, seccomp);
  await step("compose up", () => stack.compose(["up", "--detach", "--no-build"]));
  await step("the network's bridge keeps its MAC when a container leaves (netavark 1.4's ARP bug)", () => pinBridgeAddress(engine, project));
  const slack = follow("podman", ["logs", "--follow", await stack.container("slack")], engine.env);
  try {
    await step("health checks pass: ollama, worker, bot", async () => {
      for (const service of ["ollama", "worker", "bot"]) await waitHealthy(engine, await stack.container(service));
    });
    await step("a council through the worker, asked on Slack", async () => {
      const ended = await slack.waitFor("council-ended", COUNCIL_MS, (report) => report.council === 1);
      expect(ended.outcome === "completed", `the first council ended ${String(ended.outcome)}: ${String(ended.text)}`);
    });
    await step("SIGTERM to the bot mid-council: the council finishes, the bot exits 0", () => stopBotMidCouncil(engine, stack, slack, stopGrace.bot));
    await step("SIGTERM to the worker mid-generation: the generation finishes, the worker exits 0", () => stopWorkerMidGeneration(engine, root, stack, stopGrace.worker));
  } catch (error) {
    await printLogs(engine, stack);
    throw error;
  } finally {
    slack.stop();
  }
}

async function waitHealthy(engine: Engine, container: string): Promise<void> {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    // Podman 4.3 runs a health check only when asked to.
    const check = await engine.podman(["healthcheck", "run", container]);
    if (check.code === 0) return;
    if (Date.now() > deadline) throw new Error(`${container} is not healthy after ${HEALTHY_WITHIN_MS / 1000} s: ${check.stdout}${check.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function stopBotMidCouncil(engine: Engine, stack: Stack, slack: Follower, exitWithinMs: number): Promise<void> {
  const bot = await stack.container("bot");
  await slack.waitFor("council-started", COUNCIL_MS, (report) => report.council === 2);
  const sentAt = Date.now();
  await engine.checkPodman(["kill", "--signal", "TERM", bot]);
  const code = await exitCode(engine, bot, exitWithinMs);
  // The bot edits the card before it exits: the card's last state cannot be far behind.
  const ended = await slack.waitFor("council-ended", AFTER_EXIT_MS, (report) => report.council === 2).catch((error: unknown) => {
    throw new Error(`the bot exited ${code} without finishing the card of the council it ran at SIGTERM: ${(error as Error).message}`);
  });
  expect(ended.at > sentAt, "the second council ended before the SIGTERM, so nothing was drained: the fake models must be slower");
  expect(ended.outcome === "completed", `the council running at SIGTERM ended ${String(ended.outcome)}, not completed: ${String(ended.text)}`);
  expect(code === 0, `the bot exited ${code} after SIGTERM, not 0`);
  // The record agrees with the cards: both councils completed, none left running or interrupted.
  const image = (await engine.checkPodman(["container", "inspect", "--format", "{{.ImageName}}", bot])).stdout.trim();
  const script = `const db = new (require("better-sqlite3"))("/data/council.db", { readonly: true });
    console.log(JSON.stringify(db.prepare("select status from councils order by created_at").all().map((row) => row.status)));`;
  const { stdout } = await engine.checkPodman(["run", "--rm", "--volumes-from", bot, image, "node", "-e", script]);
  const statuses = stdout.trim().split("\n").at(-1);
  expect(statuses === '["completed","completed"]', `the council database holds ${statuses}, not two completed councils`);
}

async function stopWorkerMidGeneration(engine: Engine, root: string, stack: Stack, exitWithinMs: number): Promise<void> {
  const worker = await stack.container("worker");
  const model = loadPresets(join(root, "config/presets.json")).get().members[0]?.model ?? "";
  const settings = ["--env", `WORKER_URL=${WORKER_URL}`, "--env", `WORKER_TOKEN=${stack.workerToken}`];
  const script = ["node", "--import", "tsx", "test-support/containers/stream-generation.ts", model];
  const generation = follow("podman", ["exec", ...settings, await stack.container("slack"), ...script], engine.env);
  try {
    await generation.waitFor("generation-streaming", COUNCIL_MS);
    await engine.checkPodman(["kill", "--signal", "TERM", worker]);
    await generation.waitFor("generation-done", COUNCIL_MS);
    const code = await exitCode(engine, worker, exitWithinMs);
    expect(code === 0, `the worker exited ${code} after SIGTERM, not 0`);
  } finally {
    generation.stop();
  }
}

/** The container's exit code, once it has exited; it must within its service's stop_grace_period (`withinMs`), or compose would kill it. */
async function exitCode(engine: Engine, container: string, withinMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${container} did not exit within ${withinMs / 1000} s of SIGTERM`)), withinMs);
  });
  try {
    return Number((await Promise.race([engine.checkPodman(["wait", container]), late])).stdout.trim());
  } finally {
    clearTimeout(timer);
  }
}

async function printLogs(engine: Engine, stack: Stack): Promise<void> {
  for (const service of ["ollama", "slack", "worker", "bot"]) {
    const container = await stack.container(service).catch(() => undefined);
    if (!container) continue;
    const { stdout, stderr } = await engine.podman(["logs", "--tail", "60", container]);
    process.stderr.write(`\n--- ${service} (${container}), last lines ---\n${stdout}${stderr}`);
  }
}
