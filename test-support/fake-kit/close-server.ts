import type { Server } from "node:http";

/**
 * Stops a fake's HTTP server now: keep-alive connections (undici and fetch pool them) and hung
 * ones would hold close() open, so every connection is cut.
 */
export function closeServer(server: Server): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return stopped;
}
