import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// A process whose log goes to a pipe must exit when it means to, whatever the reader does:
// `npm run worker | head` (the reader has read enough and left), `| tee log` killed by the same
// Ctrl-C, or a pager that stopped reading. Each case runs in a process of its own, logging to
// its real stdout, then calling process.exit().

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Far longer than the logger may wait at exit (about 2 s); a process still running then is stuck for good. */
const STUCK_AFTER_MS = 15_000;

/** A process that, once told "go" on stdin, logs `lines` lines of `size` characters to stdout and calls process.exit(0). */
function startLogger(lines: number, size: number) {
  const script = `
    import { createLogger } from "./config/logger.ts";
    const logger = createLogger({ level: "info", secrets: [] });
    process.stdin.once("data", () => {
      for (let i = 0; i < ${lines}; i++) logger.info({ i, filler: "x".repeat(${size}) }, "line");
      process.exit(0);
    });
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill("SIGKILL"), STUCK_AFTER_MS);
  const exited = once(child, "close").then(([code, signal]) => {
    clearTimeout(timer);
    return { code: code as number | null, signal: signal as string | null, stderr };
  });
  return { child, exited, go: () => child.stdin.write("go\n") };
}

describe("the log on a pipe", () => {
  it("lets the process exit when the reader has gone away, with lines still waiting to be written", async () => {
    const logging = startLogger(2, 10);
    // Closes the only read end: every write from now on fails with EPIPE.
    logging.child.stdout.destroy();
    logging.go();
    expect(await logging.exited).toEqual({ code: 0, signal: null, stderr: "" });
  }, 30_000);

  it("lets the process exit when the reader stopped reading, with the pipe full", async () => {
    // 2 MB of lines: more than the pipe and this side's read buffer hold together.
    const logging = startLogger(2_000, 1_000);
    logging.child.stdout.pause();
    logging.go();
    expect(await logging.exited).toEqual({ code: 0, signal: null, stderr: "" });
  }, 30_000);

  it("writes every line when the reader keeps up", async () => {
    const logging = startLogger(2_000, 1_000);
    let text = "";
    logging.child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    logging.go();
    expect(await logging.exited).toMatchObject({ code: 0 });
    const lines = text.split("\n").filter(Boolean);
    expect(lines).toHaveLength(2_000);
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({ i: 1_999, msg: "line" });
  }, 30_000);
});
