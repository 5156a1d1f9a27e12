import { connect, createServer, type Server } from "node:net";

// The fakes listen on 127.0.0.1 only, by design. In the container test each runs in its own
// container, where loopback is that container's alone; this relay opens a fake to the compose
// network (the only network such a container is on) under the port the real service would use.

/** Pipes every connection to `port` on all of the container's interfaces to `target` on loopback. */
export function relay(port: number, target: URL): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    // Either side ending or failing ends both: a half-open pair would leak.
    const end = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on("error", end).on("close", end);
    outbound.on("error", end).on("close", end);
    inbound.pipe(outbound).pipe(inbound);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });
}
