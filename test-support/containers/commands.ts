import { spawn } from "node:child_process";

// Runs the container tools the test drives (podman, podman-compose, debootstrap, systemd-analyze)
// and keeps what they said, for the error when one fails.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Print its output as it comes (long builds), besides keeping it. */
  echo?: boolean;
}

export function runCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      if (options.echo) process.stdout.write(text);
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
      if (options.echo) process.stderr.write(text);
    });
    child.once("error", (error) => reject(new Error(`${command} could not be started: ${error.message}`)));
    child.once("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Like runCommand, but a non-zero exit is an error that quotes the end of what the command said. */
export async function checkCommand(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const said = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-25).join("\n");
    throw new Error(`\`${[command, ...args].join(" ")}\` exited with ${result.code}:\n${said}`);
  }
  return result;
}
