import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importBaseImage } from "./base-image.js";
import { runCommand } from "./commands.js";
import { createEngine } from "./engine.js";
import { checkImage } from "./image-checks.js";
import { checkComposeFile, checkDockerfile, checkSystemdUnits } from "./service-definitions.js";
import { runStackScenario } from "./stack-scenario.js";
import { step } from "./step.js";

// `npm run test:containers`: the Dockerfile, compose.yaml and the systemd units as a user runs
// them, on a machine with podman instead of Docker and no Docker Hub (README, "Run it in
// containers"). It checks the units, the Dockerfile's commands and the compose file, builds
// both images on a base made here, brings the stack up with fakes in place of Ollama and Slack
// (stack-scenario.ts), then removes everything it made. Needs root, podman, runc,
// podman-compose, debootstrap, systemd-analyze and ip; VERBOSE=1 shows the image builds.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PROJECT = `council-test-${randomBytes(3).toString("hex")}`;
const TAG = `localhost/${PROJECT}`;
const TOOLS = ["podman", "runc", "podman-compose", "debootstrap", "systemd-analyze", "python3", "ip"];

async function main(): Promise<void> {
  await step("tools", preflight);
  await step("systemd units: systemd-analyze verify, stop timeouts", () => checkSystemdUnits(ROOT));
  await step("Dockerfile: each target's CMD runs its npm script's command", () => checkDockerfile(ROOT));
  const stopGrace = await step("compose.yaml: health checks, init, stop grace, start order", () => checkComposeFile(ROOT));

  const engine = await createEngine(join("/var/tmp", PROJECT));
  const interrupted = () => void engine.remove().finally(() => process.exit(130));
  process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
  try {
    const base = await step("base image (debootstrap and Node, cached in node_modules/.cache)", () => importBaseImage(engine, ROOT, `${TAG}-base:latest`));
    process.stdout.write(base.made ? "  made now, and cached for the next run\n" : "  imported from the cache\n");
    const images = { base: base.tag, worker: `${TAG}:worker`, bot: `${TAG}:bot` };
    for (const target of ["worker", "bot"] as const) {
      const build = ["build", "--build-arg", `NODE_IMAGE=${base.tag}`, "--target", target, "--tag", images[target], ROOT];
      await step(`build --target ${target}`, () => engine.checkPodman(build, { echo: process.env.VERBOSE === "1" }));
      await step(`${target} image: non-root, no dev dependencies, native module loads`, () => checkImage(engine, ROOT, images[target]));
    }
    await runStackScenario(engine, ROOT, PROJECT, images, stopGrace);
  } finally {
    await step("tear down: containers, network, volumes, images, the engine's folder", () => engine.remove());
  }
}

async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the container test needs root (podman, debootstrap and chroot run as root here)");
  for (const tool of TOOLS) {
    if ((await runCommand("sh", ["-c", `command -v ${tool}`])).code !== 0) {
      throw new Error(`${tool} is missing: apt-get update && apt-get install -y podman runc debootstrap podman-compose systemd`);
    }
  }
}

const started = performance.now();
await main().then(
  () => process.stdout.write(`container test passed in ${((performance.now() - started) / 1000).toFixed(0)} s\n`),
  (error: unknown) => {
    process.stderr.write(`container test failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
