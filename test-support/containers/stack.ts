import { randomBytes } from "node:crypto";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CommandResult, checkCommand } from "./commands.js";
import type { Engine } from "./engine.js";

// The stack as a user runs it: the project's compose.yaml, unchanged, in a folder of its own
// beside the test's .env (a developer's .env must not leak in) and an override that puts the
// fakes in place of Ollama and Slack, the images the test built in place of a build, the
// systemd units' syscall filters on the worker and the bot, and no restarts (a container the
// test stopped must stay stopped).

// Services reach each other by name on the compose network: the worker and the bot on their
// default ports, the fake Slack on the port slack-scenario.ts relays.
export const WORKER_URL = "http://worker:8001";
const SLACK_API_URL = "http://slack:8080/api/";
const BOT_EVENTS_URL = "http://bot:8003/slack/events";
const SLACK_BOT_TOKEN = "xoxb-container-test-0001";
const SLACK_SIGNING_SECRET = "container-test-signing-secret";

export interface Stack {
  readonly workerToken: string;
  /** podman-compose on the stack's files, failing on a non-zero exit. */
  compose(args: readonly string[]): Promise<CommandResult>;
  /** The name of a service's container. */
  container(service: string): Promise<string>;
}

export interface StackImages {
  /** Runs the fakes: the test's base has Node and mounts the repository. */
  base: string;
  worker: string;
  bot: string;
}

/** Seccomp profiles (syscall-filter.ts) the worker and the bot run under. */
export interface StackSeccomp {
  worker: string;
  bot: string;
}

export async function writeStack(engine: Engine, root: string, project: string, images: StackImages, seccomp: StackSeccomp): Promise<Stack> {
  const dir = join(engine.dir, "stack");
  await mkdir(dir, { recursive: true });
  await copyFile(join(root, "compose.yaml"), join(dir, "compose.yaml"));
  const workerToken = randomBytes(16).toString("hex");
  await writeFile(
    join(dir, ".env"),
    [
      "# The container test's settings: the bot on Slack in HTTP mode, against the fake Slack.",
      `WORKER_TOKEN=${workerToken}`,
      `SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN}`,
      "SLACK_MODE=http",
      `SLACK_SIGNING_SECRET=${SLACK_SIGNING_SECRET}`,
      `SLACK_API_URL=${SLACK_API_URL}`,
      "LOG_LEVEL=info",
      "",
    ].join("\n"),
  );
  const fake = (script: string) => ({
    image: images.base,
    init: true,
    restart: "no",
    working_dir: "/repo",
    volumes: [`${root}:/repo:ro`],
    command: ["node", "--import", "tsx", `test-support/containers/${script}`],
  });
  // JSON is YAML, and compose reads it as such.
  const override = {
    services: {
      ollama: {
        ...fake("fake-ollama-service.ts"),
        healthcheck: { test: "node -e \"fetch('http://127.0.0.1:11434/api/version').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))\"" },
      },
      slack: {
        ...fake("slack-scenario.ts"),
        environment: { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, BOT_EVENTS_URL },
      },
      worker: { image: images.worker, restart: "no", security_opt: [`seccomp=${seccomp.worker}`] },
      bot: { image: images.bot, restart: "no", security_opt: [`seccomp=${seccomp.bot}`] },
    },
  };
  await writeFile(join(dir, "compose.test.json"), JSON.stringify(override, null, 2));

  const files = ["-p", project, "-f", join(dir, "compose.yaml"), "-f", join(dir, "compose.test.json")];
  return {
    workerToken,
    compose: (args) => checkCommand("podman-compose", [...files, ...args], { env: engine.env, cwd: dir }),
    async container(service) {
      const filters = ["--filter", `label=io.podman.compose.project=${project}`, "--filter", `label=com.docker.compose.service=${service}`];
      const name = (await engine.checkPodman(["ps", "--all", ...filters, "--format", "{{.Names}}"])).stdout.trim();
      if (!name || name.includes("\n")) throw new Error(`expected one container of the service ${service}, found: ${name || "none"}`);
      return name;
    },
  };
}
