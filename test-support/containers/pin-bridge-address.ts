import { readFile } from "node:fs/promises";
import { checkCommand } from "./commands.js";
import type { Engine } from "./engine.js";

// Debian's netavark (1.4) leaves the compose network's bridge with the kernel's default MAC: the
// lowest of its ports'. When a container leaves (the bot stopped by the test), the bridge's MAC
// can change, and the other containers' ARP entries for the gateway, where aardvark-dns answers,
// go stale: name lookups then time out for up to 100 s (containers/netavark#833, fixed in 1.9
// by setting the bridge's MAC once). The test does what the fix does, so what it measures is
// the worker and the bot, not that bug. Setting the address, even to the one it has, tells the
// kernel it was chosen (addr_assign_type 3) and never to recompute it.

const ADDRESS_SET = "3";

export async function pinBridgeAddress(engine: Engine, project: string): Promise<string> {
  const network = `${project}_default`;
  const bridge = (await engine.checkPodman(["network", "inspect", "--format", "{{.NetworkInterface}}", network])).stdout.trim();
  if (!/^[\w.-]+$/.test(bridge)) throw new Error(`podman names no bridge for the network ${network}: "${bridge}"`);
  const sysfs = `/sys/class/net/${bridge}`;
  const address = (await readFile(`${sysfs}/address`, "utf8")).trim();
  await checkCommand("ip", ["link", "set", "dev", bridge, "address", address]);
  const assigned = (await readFile(`${sysfs}/addr_assign_type`, "utf8")).trim();
  if (assigned !== ADDRESS_SET) throw new Error(`the bridge ${bridge} still has a MAC the kernel may change (addr_assign_type ${assigned})`);
  return `${bridge} ${address}`;
}
