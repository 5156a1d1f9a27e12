import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { createWaitList } from "../fake-kit/waits.js";
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
  const commandLine = `\`${command} ${args.join(" ")}\``;
  const lines: string[] = [];
  const reports: Report[] = [];
  const waits = createWaitList(commandLine);
  let ended = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      const report = parseReport(line);
      if (report) reports.push(report);
      waits.notify();
    });
  }
  // Every line is read by now, so a wait still pending has nothing left to find.
  child.once("close", () => {
    ended = true;
    waits.close();
  });

  return {
    async waitFor(event, timeoutMs, matches = () => true) {
      const find = () => reports.find((report) => report.event === event && matches(report));
      try {
        return await waits.wait(find, timeoutMs, `"${event}" report`);
      } catch {
        // The wait failed because the output ended or because its time ran out: say which, and
        // what the program said last.
        const why = ended ? `${commandLine} ended without a "${event}" report` : `no "${event}" report within ${timeoutMs / 1000} s from ${commandLine}`;
        throw new Error(`${why}; its output:\n${lines.slice(-40).join("\n")}`);
      }
    },
    stop: () => void child.kill(),
  };
}
