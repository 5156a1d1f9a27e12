import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { npmScriptCommand } from "../test-support/npm-scripts.js";

// The worker as `npm run worker` runs it (dist/worker.mjs with the same node flags), in its own
// process, for the benchmarks that measure it from outside.

/**
 * On PC2 the worker has a CPU of its own (the GPU does the generating): it is pinned to core 1,
 * and the benchmark pins itself to core 0, so the figures are the worker's and not the scheduler's.
 */
export async function startWorkerProcess(ollamaUrl: string, settings: Record<string, string> = {}) {
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const child = spawn("taskset", ["-c", "1", process.execPath, ...workerNodeFlags(), "dist/worker.mjs"], {
    env: { PATH: process.env.PATH, OLLAMA_URL: ollamaUrl, WORKER_PORT: String(port), LOG_LEVEL: "warn", ...settings },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (up) return { url, pid: child.pid ?? 0, stop: () => child.kill("SIGTERM") };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the worker did not start within 10 s");
}

/** The node flags `npm run worker` starts the worker with, read from package.json so a bench cannot drift from it. */
export function workerNodeFlags(): string[] {
  const script = npmScriptCommand("worker");
  const flags = /\bnode((?: --\S+)*) dist\/worker\.mjs/.exec(script);
  if (!flags) throw new Error(`package.json's worker script does not run "node [flags] dist/worker.mjs": ${script}`);
  return flags[1]?.trim().split(" ").filter(Boolean) ?? [];
}

/** Resident and peak memory, and CPU time used so far, of a process. */
export function processStatus(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  // utime and stime, in clock ticks of 10 ms, are fields 14 and 15 of /proc/<pid>/stat.
  const statLine = readFileSync(`/proc/${pid}/stat`, "utf8");
  const stat = statLine.slice(statLine.lastIndexOf(")") + 2).split(" ");
  const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024, cpuMs };
}
