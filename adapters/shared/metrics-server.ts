import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { ConfigError } from "../../config/index.js";
import { isLoopback } from "../../config/worker.js";
import { INBOUND_HTTP_LIMITS } from "./inbound-http-limits.js";

// The bot's /metrics endpoint for Prometheus (METRICS_PORT): one route, nothing else. It lives
// with the adapters because it is one more door into the process from the network, held to the
// same time bounds as the Discord and Slack endpoints; what it serves is the core's registry.
// It takes no token (Prometheus' own scrape config rarely has one), so it listens on
// 127.0.0.1 unless METRICS_HOST says otherwise.

export interface MetricsServerOptions {
  registry: Registry;
  host: string;
  port: number;
  logger: Logger;
}

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464 */
  url: string;
  /** Stops listening and drops open connections: at shutdown, a scrape in progress is not worth waiting for. */
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, host, port } = options;
  const logger = options.logger.child({ module: "metrics" });
  const server = createServer(INBOUND_HTTP_LIMITS, (request, response) => {
    // A scrape is a bare GET: a body is never read, so the connection that carries one is closed.
    if (hasBody(request)) return refuse(response, 413, "a request to /metrics has no body", { connection: "close" });
    if (request.method !== "GET" || (request.url ?? "").split("?")[0] !== "/metrics") return refuse(response, 404, "only GET /metrics is served here");
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { "content-type": registry.contentType });
        response.end(text);
      },
      (error: unknown) => {
        logger.error({ err: error }, "the metrics could not be collected");
        refuse(response, 500, "the metrics could not be collected; the bot's log says why");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error as NodeJS.ErrnoException, host, port)));
    server.listen(port, host, () => resolve());
  });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${(server.address() as { port: number }).port}`;
  if (isLoopback(host)) logger.info({ url: `${url}/metrics` }, "metrics served for Prometheus");
  else logger.warn({ url: `${url}/metrics` }, "metrics served to the network without a token: anyone who reaches this port reads them");
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function refuse(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(`${message}\n`);
}

/** A port or address that cannot be listened on is a setting to change, said as the other bad settings are. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const cannot = "council bot cannot start:";
  switch (error.code) {
    case "EADDRINUSE":
      return new ConfigError(`${cannot} METRICS_PORT=${port} is already in use on ${host}.`, ["METRICS_PORT"], {
        fix: "set METRICS_PORT to a free port, or stop what listens there.",
      });
    case "EACCES":
      return new ConfigError(`${cannot} METRICS_PORT=${port} may not be listened on by this user.`, ["METRICS_PORT"], {
        fix: "set METRICS_PORT to a port above 1023.",
      });
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ConfigError(`${cannot} METRICS_HOST=${host} is not an address of this machine.`, ["METRICS_HOST"], {
        fix: "set METRICS_HOST to 127.0.0.1 (this machine only), or to 0.0.0.0 or one of this machine's addresses.",
      });
    default:
      return error;
  }
}
