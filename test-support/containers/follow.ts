import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { type Report, parseReport } from "./report.js";

// Follows what a program in the stack reports (report.ts) as it runs: a container's log, or a
// `podman exec`, and waits for the reports the test steps on.

export interface Follower {
  /** Resolves with the first report of this event that matches; rejects past the time, or if the output ends first. */
  waitFor(event: string, timeoutMs: number, matches?: (report: Report) => boolean): Promise<Report>;
  stop(): void;
}

export function follow(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Follower {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const reports: Report[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const notify = () => waiters.forEach((waiter) => waiter());
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      const report = parseReport(line);
      if (report) reports.push(report);
      notify();
    });
  }
  child.once("close", () => {
    ended = true;
    notify();
  });

  return {
    waitFor(event, timeoutMs, matches = () => true) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no "${event}" report within ${timeoutMs / 1000} s from \`${command} ${args.join(" ")}\``)), timeoutMs);
        const check = () => {
          const found = reports.find((report) => report.event === event && matches(report));
          if (found) finish(undefined, found);
          else if (ended) finish(new Error(`\`${command} ${args.join(" ")}\` ended without a "${event}" report`));
        };
        function finish(error?: Error, found?: Report) {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(new Error(`${error.message}; its output:\n${lines.slice(-40).join("\n")}`));
          else resolve(found as Report);
        }
        waiters.add(check);
        check();
      });
    },
    stop: () => void child.kill(),
  };
}
