import type { ServerOptions } from "node:http";

// Time bounds for the bot's own HTTP endpoints (Discord interactions, Slack events), which face
// the internet in HTTP mode. Discord and Slack send a few kB of signed JSON at once and give up
// on an answer after 3 s, so anyone slower is not them: without these bounds one client dripping
// a byte every few seconds holds a connection (and a file descriptor) for minutes, and a
// thousand of them starve the process.

export const INBOUND_HTTP_LIMITS = {
  /** The request line and headers must have arrived this long after the first byte (408, then closed). */
  headersTimeout: 5_000,
  /** The whole request, body included; a payload is a few kB, so 10 s is generous even on a poor link. */
  requestTimeout: 10_000,
  /** An idle kept-alive connection is closed after this (Node's own default; Fastify's is 72 s). */
  keepAliveTimeout: 5_000,
  /** How often node:http checks the two timeouts above; its default, 30 s, would let a slow client stay up to 30 s longer. */
  connectionsCheckingInterval: 1_000,
} as const satisfies ServerOptions;
