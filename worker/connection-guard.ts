import type { FastifyReply, FastifyRequest } from "fastify";
import type { Server, ServerOptions } from "node:http";
import type { Socket } from "node:net";

// The worker faces a network, so a stranger must not be able to hold its connections. A
// request's head must arrive within seconds and its whole body within a bound that suits tens
// of MB of JSON (images) on a local network; both are checked every second. Responses are not
// bounded in time: a generation may stream for minutes. Each client address may hold a bounded
// number of connections, so one address cannot take every socket the process has from the others.

export interface RequestBounds {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const REQUEST_BOUNDS: RequestBounds = { headersTimeoutMs: 5_000, requestTimeoutMs: 30_000 };

/** Options for node:http's server (Fastify's `http` option); Fastify sets requestTimeout itself. */
export function boundedServerOptions(bounds: RequestBounds): ServerOptions {
  return {
    headersTimeout: bounds.headersTimeoutMs,
    requestTimeout: bounds.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, bounds.headersTimeoutMs),
  };
}

/**
 * Refuses a connection beyond `perAddress` from one client address, at once and with a reason.
 * `skipRefused` is the first onRequest hook: a request that arrived on a refused connection
 * before it closed is dropped unseen.
 */
export function capConnectionsPerAddress(server: Server, perAddress: number) {
  const open = new Map<string, number>();
  const refused = new WeakSet<Socket>();
  const refusal = tooManyConnections(perAddress);
  server.on("connection", (socket: Socket) => {
    // An IPv4 client of a dual-stack listener appears as ::ffff:a.b.c.d; it is one address.
    const address = (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const count = (open.get(address) ?? 0) + 1;
    if (count > perAddress) {
      // A fixed answer, written before any byte is read, so the caller knows why; then the
      // socket is gone, not held until some timeout.
      refused.add(socket);
      socket.on("error", () => {});
      socket.end(refusal);
      setTimeout(() => socket.destroy(), 1_000).unref();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });

  async function skipRefused(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!refused.has(request.raw.socket)) return;
    reply.hijack();
    request.raw.socket.destroy();
  }

  return { skipRefused };
}

function tooManyConnections(perAddress: number): string {
  const body = JSON.stringify({
    error: `too many connections from your address: at most ${perAddress} at once (WORKER_MAX_CONNECTIONS_PER_ADDRESS on the worker); retry when one closes`,
  });
  return [
    "HTTP/1.1 503 Service Unavailable",
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Retry-After: 1",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}
