import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CommandOptions, type CommandResult, checkCommand, runCommand } from "./commands.js";
import { removeFolder } from "./mounts.js";

// A private podman for the test: its own storage, state and networks, all in one folder. What
// the test builds and starts lives there and nowhere else, the machine's own containers and
// images are neither seen nor touched, and removing the folder removes every trace.

export interface Engine {
  readonly dir: string;
  /** This process's environment plus the two variables that point podman at the private setup. */
  readonly env: NodeJS.ProcessEnv;
  podman(args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  /** podman, failing on a non-zero exit. */
  checkPodman(args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  /** Removes everything made in the engine, then its folder. */
  remove(): Promise<void>;
}

export async function createEngine(dir: string): Promise<Engine> {
  await mkdir(join(dir, "tmp"), { recursive: true });
  const containersConf = join(dir, "containers.conf");
  const storageConf = join(dir, "storage.conf");
  await writeFile(
    containersConf,
    `[containers]
# podman asks for 1048576 open files by default; this machine kind's hard limit is 20000.
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
# \`podman logs\` reads these files; journald may not run.
log_driver = "k8s-file"

[engine]
# Debian's podman prefers crun; runc is what is installed here.
runtime = "runc"
# No systemd runs as PID 1 to hand out cgroups.
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "${join(dir, "tmp")}"

[network]
network_config_dir = "${join(dir, "networks")}"
`,
  );
  await writeFile(storageConf, `[storage]\ndriver = "overlay"\ngraphroot = "${join(dir, "storage")}"\nrunroot = "${join(dir, "run")}"\n`);
  const env = { ...process.env, CONTAINERS_CONF: containersConf, CONTAINERS_STORAGE_CONF: storageConf };
  const podman = (args: readonly string[], options: CommandOptions = {}) => runCommand("podman", args, { env, ...options });
  const checkPodman = (args: readonly string[], options: CommandOptions = {}) => checkCommand("podman", args, { env, ...options });

  // Every removal below takes "all": make sure "all" means this folder's, not the machine's.
  const graphRoot = (await checkPodman(["info", "--format", "{{.Store.GraphRoot}}"])).stdout.trim();
  if (graphRoot !== join(dir, "storage")) throw new Error(`podman ignored the test's storage.conf (its storage is ${graphRoot}); stopping before touching it`);

  return {
    dir,
    env,
    podman,
    checkPodman,
    async remove() {
      await podman(["rm", "--all", "--force", "--time", "0"]);
      await podman(["volume", "rm", "--all", "--force"]);
      await podman(["network", "prune", "--force"]);
      await podman(["rmi", "--all", "--force"]);
      await removeFolder(dir);
    },
  };
}
