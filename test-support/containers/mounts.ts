import { readFile, rm } from "node:fs/promises";
import { runCommand } from "./commands.js";

/**
 * Removes a folder the test made, after unmounting whatever is still mounted inside it, deepest
 * first: a debootstrap cut short leaves the host's /dev bound into its root, and a recursive
 * delete would go through the mount into the host's own files.
 */
export async function removeFolder(dir: string): Promise<void> {
  const mounts = (await readFile("/proc/self/mounts", "utf8")).split("\n").map((line) => line.split(" ")[1] ?? "");
  const inside = mounts.filter((path) => path.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
  for (const mount of inside) await runCommand("umount", ["--lazy", mount]);
  const left = (await readFile("/proc/self/mounts", "utf8")).split("\n").filter((line) => (line.split(" ")[1] ?? "").startsWith(`${dir}/`));
  if (left.length > 0) throw new Error(`${dir} still has mounts inside, left in place:\n${left.join("\n")}`);
  await rm(dir, { recursive: true, force: true });
}
