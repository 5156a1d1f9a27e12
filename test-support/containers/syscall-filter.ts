import { readFile, writeFile } from "node:fs/promises";
import { checkCommand } from "./commands.js";

// A systemd unit's syscall filter as a seccomp profile, so the stack's worker and bot run under
// the very filter their units give them: the groups of SystemCallFilter= expanded by
// systemd-analyze itself, and any other call answered as SystemCallErrorNumber= says (EPERM),
// or fatal without it, as under systemd. `systemd-analyze verify` cannot tell whether node
// gets by with the calls a filter leaves it; running it can.

const ARCHITECTURES: Record<string, string> = { x64: "SCMP_ARCH_X86_64", arm64: "SCMP_ARCH_AARCH64" };

export async function writeSeccompProfile(unitPath: string, profilePath: string): Promise<void> {
  const unit = await readFile(unitPath, "utf8");
  const filters = [...unit.matchAll(/^SystemCallFilter=(.*)$/gm)].flatMap((match) => (match[1] ?? "").trim().split(/\s+/));
  if (filters.length === 0 || filters.some((entry) => entry.startsWith("~"))) {
    throw new Error(`${unitPath}: the test mirrors an allow-list SystemCallFilter= only, found ${filters.join(" ") || "none"}`);
  }
  const errorNumber = /^SystemCallErrorNumber=(.*)$/m.exec(unit)?.[1]?.trim();
  if (errorNumber !== undefined && errorNumber !== "EPERM") throw new Error(`${unitPath}: the test mirrors SystemCallErrorNumber=EPERM only, found ${errorNumber}`);
  const architecture = ARCHITECTURES[process.arch];
  if (!architecture) throw new Error(`no seccomp architecture known for ${process.arch}`);

  const calls = new Set<string>();
  const seen = new Set<string>();
  for (const entry of filters) await expand(entry, calls, seen);
  const profile = {
    defaultAction: errorNumber === "EPERM" ? "SCMP_ACT_ERRNO" : "SCMP_ACT_KILL_PROCESS",
    defaultErrnoRet: 1,
    architectures: [architecture],
    syscalls: [{ names: [...calls].sort(), action: "SCMP_ACT_ALLOW" }],
  };
  await writeFile(profilePath, JSON.stringify(profile));
}

async function expand(entry: string, calls: Set<string>, seen: Set<string>): Promise<void> {
  if (!entry.startsWith("@")) {
    calls.add(entry);
    return;
  }
  if (seen.has(entry)) return;
  seen.add(entry);
  // The group's name, then one entry per line: a call, a nested @group, or a # comment.
  const { stdout } = await checkCommand("systemd-analyze", ["syscall-filter", entry]);
  const entries = stdout.split("\n").slice(1).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  if (entries.length === 0) throw new Error(`systemd-analyze knows no syscall group ${entry}`);
  for (const nested of entries) await expand(nested, calls, seen);
}
