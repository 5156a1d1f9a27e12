import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadBotConfig, loadWorkerConfig } from "../../config/index.js";
import { npmScriptCommand } from "../npm-scripts.js";
import { checkCommand } from "./commands.js";

// What the service managers are told, checked without running them: the systemd units pass
// `systemd-analyze verify` without a word (it exits 0 even on a line it ignores), and both the
// units and compose.yaml give a stop more time than the drain's default grace, so a stop never
// kills a council or a generation that was allowed to finish. The podman-compose the test runs
// honours neither stop_grace_period nor depends_on's conditions, so they are read here instead.
// The units' ExecStart and the Dockerfile's CMDs run what `npm start` and `npm run worker` run,
// node flags and all, without npm in between.

const UNITS = { "deploy/council-bot.service": "bot", "deploy/council-worker.service": "worker" } as const;
const SERVICES = ["ollama", "worker", "bot"] as const;
/** The npm script each process runs under; the Dockerfile's targets are named after the processes. */
const SCRIPTS = { bot: "start", worker: "worker" } as const;

/** compose.yaml's stop_grace_period of the worker and the bot, in ms: how long each may take to exit after SIGTERM. */
export type StopGrace = Record<"worker" | "bot", number>;

export async function checkSystemdUnits(root: string): Promise<void> {
  // ExecStart=node is looked up where systemd looks (/usr/local/bin, /usr/bin), not on PATH.
  const paths = Object.keys(UNITS).map((unit) => join(root, unit));
  const { stdout, stderr } = await checkCommand("systemd-analyze", ["verify", ...paths]);
  if (`${stdout}${stderr}`.trim()) throw new Error(`systemd-analyze verify has something to say about the units:\n${stdout}${stderr}`);
  for (const [unit, process] of Object.entries(UNITS)) {
    const text = await readFile(join(root, unit), "utf8");
    const timeout = /^TimeoutStopSec=(\d+)$/m.exec(text)?.[1];
    if (timeout === undefined) throw new Error(`${unit} has no TimeoutStopSec in whole seconds`);
    if (!/^KillSignal=SIGTERM$/m.test(text)) throw new Error(`${unit} does not stop with KillSignal=SIGTERM`);
    if (!/^ExecStart=node /m.test(text)) throw new Error(`${unit} does not run node directly`);
    const execStart = /^ExecStart=(.*)$/m.exec(text)?.[1];
    const command = npmScriptCommand(SCRIPTS[process], root);
    if (execStart !== command) throw new Error(`${unit} runs \`${execStart}\`, not what package.json's ${SCRIPTS[process]} script runs: \`${command}\``);
    assertAboveGrace(`${unit}'s TimeoutStopSec`, Number(timeout), process);
  }
}

export async function checkDockerfile(root: string): Promise<void> {
  const stages = (await readFile(join(root, "Dockerfile"), "utf8")).split(/^(?=FROM )/m);
  for (const [target, script] of Object.entries(SCRIPTS)) {
    const stage = stages.find((text) => text.startsWith("FROM ") && text.split("\n", 1)[0]?.endsWith(` AS ${target}`));
    if (stage === undefined) throw new Error(`the Dockerfile has no stage ${target}`);
    const cmd = /^CMD (\[.*\])$/m.exec(stage)?.[1];
    if (cmd === undefined) throw new Error(`the Dockerfile's ${target} stage has no CMD in exec form (CMD ["node", ...])`);
    const command = (JSON.parse(cmd) as string[]).join(" ");
    const expected = npmScriptCommand(script, root);
    if (command !== expected) throw new Error(`the Dockerfile's ${target} stage runs \`${command}\`, not what package.json's ${script} script runs: \`${expected}\``);
  }
}

interface ComposeService {
  init?: boolean;
  healthcheck?: { test?: unknown };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition?: string }>;
  env_file?: unknown;
}

export async function checkComposeFile(root: string): Promise<StopGrace> {
  // PyYAML comes with podman-compose; Node has no YAML parser of its own.
  const { stdout } = await checkCommand("python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", join(root, "compose.yaml")]);
  const services = (JSON.parse(stdout) as { services: Record<string, ComposeService> }).services;
  for (const name of SERVICES) {
    const service = services[name];
    if (!service) throw new Error(`compose.yaml has no service ${name}`);
    if (!service.healthcheck?.test) throw new Error(`compose.yaml: ${name} has no health check`);
  }
  const stopGrace: StopGrace = { worker: 0, bot: 0 };
  for (const name of ["worker", "bot"] as const) {
    const service = services[name] as ComposeService;
    if (service.init !== true) throw new Error(`compose.yaml: ${name} needs init: true (node as PID 1 ignores SIGTERM until it handles it, and reaps no child)`);
    if (service.env_file !== ".env") throw new Error(`compose.yaml: ${name} must take its settings from .env`);
    const grace = /^(\d+)s$/.exec(service.stop_grace_period ?? "")?.[1];
    if (grace === undefined) throw new Error(`compose.yaml: ${name} needs a stop_grace_period in seconds ("45s")`);
    assertAboveGrace(`compose.yaml: ${name}'s stop_grace_period`, Number(grace), name);
    stopGrace[name] = Number(grace) * 1000;
  }
  if (services.worker?.depends_on?.ollama?.condition !== "service_healthy" || services.bot?.depends_on?.worker?.condition !== "service_healthy") {
    throw new Error("compose.yaml: the worker must wait for a healthy ollama, and the bot for a healthy worker");
  }
  return stopGrace;
}

function assertAboveGrace(what: string, seconds: number, process: "bot" | "worker"): void {
  const grace = process === "bot" ? loadBotConfig({}).COUNCIL_SHUTDOWN_GRACE_SECONDS : loadWorkerConfig({}).WORKER_SHUTDOWN_GRACE_SECONDS;
  if (seconds <= grace) throw new Error(`${what} is ${seconds} s, not above the ${process}'s default drain grace of ${grace} s`);
}
