import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChartJob } from "./chart-jobs.js";

// The bot draws its charts in a child process. ECharts and resvg cost the bot nothing until a
// chart is asked for, and their memory goes back to the system when the child ends: resvg's
// pixel buffers are native memory that V8 does not count, so in the bot they stayed until V8
// happened to collect (the dashboard alone is a 9.6 MB pixmap), and its allocator kept the
// pages after that. One child draws every chart while charts keep coming, ends after a quiet
// spell (`idleMs`) or `jobsPerProcess` charts, and a stuck one is stopped after `jobTimeoutMs`.
// It inherits no settings: the tokens stay in the bot.

export interface ChartProcess {
  /** The chart's PNG bytes; rejects with ChartProcessError. */
  draw(job: ChartJob): Promise<Buffer>;
  /** Starts the child ahead of a chart that is coming, so its start (about 0.4 s) overlaps other work; it ends after `idleMs` if no chart comes. */
  warm(): void;
  /** Ends the child at once; jobs still drawing fail. */
  close(): void;
  /** The process ids of the children alive now (none while no chart is asked for). */
  pids(): number[];
}

export interface ChartProcessOptions {
  /** How long the child waits for the next chart before it ends; default 30 s. */
  idleMs?: number;
  /** A chart not drawn by then fails, and its child is stopped; default 30 s. */
  jobTimeoutMs?: number;
  /** Charts one child draws before a fresh one takes over, so its memory never builds up; default 50. */
  jobsPerProcess?: number;
  /** The child's script: by default the bundle beside the bot's, or from source the TypeScript entry. */
  script?: string;
}

export class ChartProcessError extends Error {
  override readonly name = "ChartProcessError";
  readonly kind = "chart-process";
}

interface Pending {
  owner: ChildProcess;
  resolve(png: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

type Reply = { id: number; png: Uint8Array } | { id: number; error: string };

export function createChartProcess(options: ChartProcessOptions = {}): ChartProcess {
  const { idleMs = 30_000, jobTimeoutMs = 30_000, jobsPerProcess = 50 } = options;
  const pending = new Map<number, Pending>();
  const children = new Set<ChildProcess>();
  let current: ChildProcess | undefined;
  let drawn = 0;
  let nextId = 0;
  let idle: NodeJS.Timeout | undefined;

  function start(): ChildProcess {
    const { path, execArgv } = options.script === undefined ? entryPoint() : { path: options.script, execArgv: [] };
    const child = fork(path, [], { execArgv, env: { PATH: process.env.PATH ?? "" }, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
    children.add(child);
    child.on("message", (reply: Reply) => settle(reply));
    child.on("error", (error) => failJobsOf(child, `the chart process could not run: ${error.message}`));
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (current === child) current = undefined;
      failJobsOf(child, `the chart process ended (${signal ?? `exit code ${code}`}) before it drew the chart`);
    });
    // Neither an idle child nor its channel keeps the bot running; a job's timer does, while it lasts.
    child.unref();
    child.channel?.unref();
    return child;
  }

  function settle(reply: Reply): void {
    const job = pending.get(reply.id);
    if (!job) return;
    finish(reply.id, job);
    if ("png" in reply) job.resolve(Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength));
    else job.reject(new ChartProcessError(`The chart could not be drawn: ${reply.error}`));
  }

  function finish(id: number, job: Pending): void {
    pending.delete(id);
    clearTimeout(job.timer);
    if (hasJobs(job.owner)) return;
    if (job.owner !== current) job.owner.disconnect?.();
    else idle = setTimeout(() => retire(), idleMs).unref();
  }

  function failJobsOf(child: ChildProcess, reason: string): void {
    for (const [id, job] of pending) {
      if (job.owner !== child) continue;
      pending.delete(id);
      clearTimeout(job.timer);
      job.reject(new ChartProcessError(`The chart could not be drawn: ${reason}.`));
    }
  }

  function hasJobs(child: ChildProcess): boolean {
    for (const job of pending.values()) if (job.owner === child) return true;
    return false;
  }

  /** The current child takes no more charts; it ends once those it has are drawn. */
  function retire(): void {
    const child = current;
    current = undefined;
    if (child?.connected && !hasJobs(child)) child.disconnect();
  }

  function ready(): ChildProcess {
    clearTimeout(idle);
    if (current && drawn >= jobsPerProcess) retire();
    if (!current?.connected) {
      current = start();
      drawn = 0;
    }
    return current;
  }

  function draw(job: ChartJob): Promise<Buffer> {
    const owner = ready();
    drawn += 1;
    const id = ++nextId;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        failJobsOf(owner, `it took longer than ${Math.round(jobTimeoutMs / 1000)} s, so its process was stopped`);
        owner.kill("SIGKILL");
      }, jobTimeoutMs);
      pending.set(id, { owner, resolve, reject, timer });
      owner.send({ id, job }, (error) => {
        if (error) failJobsOf(owner, `the chart process did not take the job (${error.message})`);
      });
    });
  }

  return {
    draw,
    warm() {
      if (hasJobs(ready())) return;
      idle = setTimeout(() => retire(), idleMs).unref();
    },
    pids: () => [...children].flatMap((child) => (child.pid === undefined ? [] : [child.pid])),
    close() {
      clearTimeout(idle);
      current = undefined;
      for (const child of children) {
        failJobsOf(child, "the bot is stopping");
        child.kill("SIGKILL");
      }
    },
  };
}

/** Bundled, the child is its own bundle beside the bot's (npm run build:bot); from source (tsx, tests), the TypeScript entry through tsx. */
function entryPoint(): { path: string; execArgv: string[] } {
  if (import.meta.url.endsWith(".ts")) {
    return { path: fileURLToPath(new URL("./chart-process-main.ts", import.meta.url)), execArgv: ["--import", import.meta.resolve("tsx")] };
  }
  return { path: fileURLToPath(new URL("./chart-process.mjs", import.meta.url)), execArgv: [] };
}

/** The bot's one chart process, for /council-stats and the councils' timelines: it starts on the first chart. */
export const botCharts = createChartProcess();
