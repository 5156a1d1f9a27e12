import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// `npm start` and `npm run worker` as a user runs them: npm itself, its scripts and the process
// they start. They run in a copy of the project made of links to the repository's entries,
// without its .env (a developer's settings must not leak in), dist/ (each run builds its own
// bundle, so runs elsewhere cannot swap it mid-test) or data/. npm leads a process group of its
// own, so a test can signal it as a supervisor does, or the whole group as a terminal's Ctrl-C
// does, and then see whether anything outlived it.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LEFT_OUT = new Set([".env", "dist", "data", ".git"]);

export interface NpmProject {
  dir: string;
  /** Runs `npm ...args` in the project with these settings, and nothing else from this process's environment but PATH. */
  run(args: readonly string[], settings?: Record<string, string>, options?: { stdout?: "pipe" | "ignore" }): NpmRun;
  remove(): Promise<void>;
}

export interface NpmRun {
  child: ChildProcess;
  /** npm's pid, which is also its process group's id. */
  pid: number;
  /** How npm ended: its exit code, or the signal it died of. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The JSON log lines read so far (lines that are not JSON, such as npm's banner, are skipped). */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the first log line with this message; rejects, with what was said, if npm ends first. */
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stdout(): string;
  stderr(): string;
  /** The processes of npm's group still alive (zombies aside), as "pid command line". */
  survivors(): Promise<string[]>;
  /** The pid of the process npm's script runs (npm's child). */
  scriptPid(): Promise<number>;
  /** Kills whatever is left of the group (after a failed test). */
  killGroup(): void;
  /** How npm ended, or "still running" (and then its group is killed) if it had not within `ms`. */
  endedWithin(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | "still running">;
}

export async function createNpmProject(): Promise<NpmProject> {
  const dir = await mkdtemp(join(tmpdir(), "council-npm-"));
  for (const entry of await readdir(ROOT)) {
    if (!LEFT_OUT.has(entry)) await symlink(join(ROOT, entry), join(dir, entry));
  }
  const runs: NpmRun[] = [];
  return {
    dir,
    run(args, settings = {}, options = {}) {
      const run = startNpm(dir, args, settings, options.stdout ?? "pipe");
      runs.push(run);
      return run;
    },
    async remove() {
      for (const run of runs) run.killGroup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function startNpm(dir: string, args: readonly string[], settings: Record<string, string>, stdout: "pipe" | "ignore"): NpmRun {
  const child = spawn("npm", args, {
    cwd: dir,
    detached: true,
    stdio: ["ignore", stdout, "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      // npm would otherwise ask the registry whether it is the latest version.
      npm_config_update_notifier: "false",
      ...settings,
    },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("npm could not be started");
  let out = "";
  let err = "";
  const entries: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let pending = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    out += text;
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      try {
        entries.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        continue;
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (err += text));
  // "close" rather than "exit": it comes after the last output has been read.
  const exited = once(child, "close").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const wake of waiters) wake();
  });

  function waitForLog(message: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no log line "${message}" within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const found = entries.find((entry) => entry.msg === message);
        if (found) finish(undefined, found);
        else if (ended) finish(new Error(`npm ended before logging "${message}"`));
      };
      function finish(error: Error | undefined, found?: Record<string, unknown>) {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(new Error(`${error.message}\nstderr:\n${err}\nstdout:\n${out.slice(-4000)}`));
        else resolve(found as Record<string, unknown>);
      }
      waiters.add(check);
      check();
    });
  }

  const killGroup = () => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Nothing left in the group.
    }
  };

  return {
    child,
    pid,
    exited,
    logs: () => entries,
    waitForLog,
    stdout: () => out,
    stderr: () => err,
    survivors: async () => (await processesInGroup(pid)).map(({ pid: member, command }) => `${member} ${command}`),
    async scriptPid() {
      const script = (await processesInGroup(pid)).find((member) => member.parent === pid);
      if (!script) throw new Error("npm runs no script");
      return script.pid;
    },
    killGroup,
    async endedWithin(ms) {
      const timeout = new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms).unref());
      const outcome = await Promise.race([exited, timeout]);
      if (outcome === "still running") killGroup();
      return outcome;
    },
  };
}

/** Every live process whose process group is `pgid`, read from /proc (Linux). */
async function processesInGroup(pgid: number): Promise<Array<{ pid: number; parent: number; command: string }>> {
  const found: Array<{ pid: number; parent: number; command: string }> = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [state, parent, group] = statFields(await readFile(`/proc/${entry}/stat`, "utf8"));
      if (Number(group) !== pgid || state === "Z") continue;
      const command = (await readFile(`/proc/${entry}/cmdline`, "utf8")).replaceAll("\0", " ").trim();
      found.push({ pid: Number(entry), parent: Number(parent), command });
    } catch {
      // The process ended while being looked at.
    }
  }
  return found;
}

/** The CPU time a process has used so far, in seconds (Linux). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const fields = statFields(await readFile(`/proc/${pid}/stat`, "utf8"));
  // utime and stime, in clock ticks of 10 ms: fields 14 and 15 of the line, 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses: state, parent, group, … */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}
