import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Engine } from "./engine.js";

// What an image must be, seen from inside it: run as the unprivileged `node` user, carry no
// package the lockfile marks as a development dependency, and load better-sqlite3's native
// module, built in the build stage for the image's own Node.

export async function checkImage(engine: Engine, root: string, image: string): Promise<void> {
  const user = (await engine.checkPodman(["image", "inspect", "--format", "{{.Config.User}}", image])).stdout.trim();
  if (user !== "node") throw new Error(`${image} runs as "${user || "root"}", not as the node user`);

  const lock = JSON.parse(await readFile(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path.startsWith("node_modules/") && entry.dev === true).map(([path]) => path);
  const script = `
    const { existsSync } = require("node:fs");
    const present = ${JSON.stringify(devOnly)}.filter((path) => existsSync(path));
    const Database = require("better-sqlite3");
    const loaded = new Database(":memory:").prepare("select 1 as one").get().one === 1;
    console.log(JSON.stringify({ present, loaded, uid: process.getuid() }));`;
  const { stdout } = await engine.checkPodman(["run", "--rm", image, "node", "-e", script]);
  const seen = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { present: string[]; loaded: boolean; uid: number };
  if (seen.present.length > 0) throw new Error(`${image} carries development dependencies: ${seen.present.join(", ")}`);
  if (!seen.loaded) throw new Error(`${image} cannot use better-sqlite3`);
  if (seen.uid === 0) throw new Error(`${image} runs its command as root`);
}
