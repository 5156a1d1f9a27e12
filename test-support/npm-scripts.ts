import { readFileSync } from "node:fs";
import { join } from "node:path";

// What an npm script of package.json runs, as a service manager is to run it: without npm in
// between, so without the `exec ` in front (there to have the script's shell hand its process to
// node). The systemd units, the Dockerfile's CMDs and the worker benchmarks are held to it, so
// that a node flag lives in package.json and nothing else can drift from it.

export function npmScriptCommand(name: string, root = "."): string {
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string | undefined> }).scripts;
  const script = scripts[name];
  if (script === undefined) throw new Error(`package.json has no ${name} script`);
  return script.replace(/^exec /, "");
}
