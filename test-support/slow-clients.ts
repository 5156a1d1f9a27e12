import { connect, type Socket } from "node:net";

// Clients that hold a server's connections the way a slowloris attacker does, on raw sockets
// from a second loopback address (127.0.0.2), so a test can serve a legitimate caller on
// 127.0.0.1 meanwhile and see when, and with what, the server closed each one.

const ATTACKER_ADDRESS = "127.0.0.2";

export interface SlowClient {
  /** Resolves once the server closed the connection: after how long (from the client's start), and what it answered first. */
  readonly closed: Promise<{ afterMs: number; answer: string }>;
  /** Whether the connection is still open now. */
  open(): boolean;
  /** What the server has sent so far. */
  received(): string;
  /** Ends the client (a test's cleanup). */
  destroy(): void;
}

interface SlowClientOptions {
  /** The server's URL (only host and port are used). */
  url: string;
  /** The request's path. */
  path: string;
  /** How often one more byte is sent (default 1000 ms). */
  everyMs?: number;
}

/** Sends the request line and then one header byte at a time, never ending the headers. */
export function slowHeaders(options: SlowClientOptions): SlowClient {
  return slowClient({ ...options, first: `POST ${options.path} HTTP/1.1\r\nHost: council\r\nX-Slow: `, drip: "a" });
}

/** Sends whole headers (plus `headers`) announcing a 100 kB JSON body, then the body one byte at a time. */
export function slowBody(options: SlowClientOptions & { headers?: Record<string, string> }): SlowClient {
  const extra = Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
  const head = `POST ${options.path} HTTP/1.1\r\nHost: council\r\n${extra.join("")}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`;
  return slowClient({ ...options, first: head, drip: " " });
}

/** Sends one whole request, reads the answer, and then sends nothing: an idle kept-alive connection. */
export function idleAfterOneRequest(options: SlowClientOptions): SlowClient {
  return slowClient({ ...options, first: `GET ${options.path} HTTP/1.1\r\nHost: council\r\nConnection: keep-alive\r\n\r\n` });
}

/**
 * Sends `first` once connected, then `drip` one character every `everyMs` (default 1000 ms),
 * starting over at its end, until the connection closes.
 */
export function slowClient(options: { url: string; first?: string; drip?: string; everyMs?: number }): SlowClient {
  const target = new URL(options.url);
  const socket: Socket = connect({ host: target.hostname, port: Number(target.port), localAddress: ATTACKER_ADDRESS });
  const startedAt = performance.now();
  const drip = options.drip ?? "";
  let answer = "";
  let timer: NodeJS.Timeout | undefined;
  let isOpen = true;
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    answer += chunk;
  });
  // A reset is how some servers close; the close event follows either way.
  socket.on("error", () => undefined);
  socket.on("connect", () => {
    if (options.first) socket.write(options.first);
    let at = 0;
    if (drip !== "") timer = setInterval(() => socket.write(drip[at++ % drip.length] ?? ""), options.everyMs ?? 1_000);
  });
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) => {
    socket.on("close", () => {
      isOpen = false;
      clearInterval(timer);
      resolve({ afterMs: performance.now() - startedAt, answer });
    });
  });
  return { closed, open: () => isOpen, received: () => answer, destroy: () => socket.destroy() };
}

/** Resolves with the close, or with "still open" once `ms` have passed. */
function closedWithin(client: SlowClient, ms: number): Promise<{ afterMs: number; answer: string } | "still open"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"still open">((resolve) => {
    timer = setTimeout(() => resolve("still open"), ms);
  });
  return Promise.race([client.closed, deadline]).finally(() => clearTimeout(timer));
}

/** What a test compares: closed in time or not, and the status line the server answered first. */
function closing(result: Awaited<ReturnType<typeof closedWithin>>, withinMs: number): "still open" | { inTime: boolean; status: string } {
  if (result === "still open") return result;
  return { inTime: result.afterMs <= withinMs, status: result.answer.slice(0, 12) };
}

/**
 * How the bot's HTTP endpoints close each kind of slow client: headers within 5 s, a dripped
 * body within 10 s (both 408), an idle kept-alive connection within 5 s, each with a margin of
 * 2 s, since node:http checks its timeouts once a second and the box may be loaded.
 */
export async function closingsOfBotEndpoint(clients: { headers: SlowClient; body: SlowClient; idle: SlowClient }) {
  const [headers, body, idle] = await Promise.all([closedWithin(clients.headers, 15_000), closedWithin(clients.body, 15_000), closedWithin(clients.idle, 15_000)]);
  return [closing(headers, 7_000), closing(body, 12_000), closing(idle, 7_000)];
}

/** What closingsOfBotEndpoint gives when every bound holds (the idle connection's one request was for a 404 path). */
export const CLOSED_BY_THE_BOUNDS = [
  { inTime: true, status: "HTTP/1.1 408" },
  { inTime: true, status: "HTTP/1.1 408" },
  { inTime: true, status: "HTTP/1.1 404" },
];
