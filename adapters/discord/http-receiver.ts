import { createPublicKey, verify } from "node:crypto";
import { type APIInteraction, type APIInteractionResponse, InteractionType } from "discord.js";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { EventDedupe } from "../shared/event-dedupe.js";
import { INBOUND_HTTP_LIMITS } from "../shared/inbound-http-limits.js";
import type { DiscordHandlers } from "./handlers.js";

// HTTP interactions, for hosted setups: Discord POSTs each interaction, signed with Ed25519.
// Every request's signature is checked (401 otherwise, as Discord's own probes expect), PING
// is answered with PONG, and the handler's acknowledgement becomes the HTTP response. Headers,
// body and idle connections are bounded in time (inbound-http-limits.ts), bodies in size.
//
// A signed request stays valid for the minutes its timestamp allows, so a captured one can be
// posted again (by an attacker on the path, or a proxy retrying). Discord delivers an
// interaction once, so an id seen before is answered 202 with no body and starts nothing: 202
// is what Discord's docs ask of an endpoint whose interaction was acknowledged by other means,
// and the first answer already acknowledged this one. It tells a replayer nothing either.

// DER prefix of an Ed25519 public key in SubjectPublicKeyInfo form; Discord gives the raw 32 bytes.
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
/** Older signed requests are refused, so a captured request cannot be replayed later. */
const MAX_CLOCK_SKEW_S = 300;
/** Discord gives up on a response after 3 s; a handler that has not acknowledged by then never will in time. */
const ACK_TIMEOUT_MS = 2_800;

export interface HttpReceiverOptions {
  publicKeyHex: string;
  logger: Logger;
  /** Interaction ids already handled (durable when it has the store). */
  dedupe: EventDedupe;
  now?: () => number;
}

export function buildInteractionsServer(handlers: DiscordHandlers, options: HttpReceiverOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(options.publicKeyHex, "hex")]), format: "der", type: "spki" });
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    http: INBOUND_HTTP_LIMITS,
    // Fastify sets these two on the server itself, over what `http` gave node:http.
    requestTimeout: INBOUND_HTTP_LIMITS.requestTimeout,
    keepAliveTimeout: INBOUND_HTTP_LIMITS.keepAliveTimeout,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  app.post("/interactions", async (request, reply) => {
    const signature = request.headers["x-signature-ed25519"];
    const timestamp = request.headers["x-signature-timestamp"];
    const body = typeof request.body === "string" ? request.body : "";
    const fresh = typeof timestamp === "string" && Math.abs(now() / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_S;
    const valid =
      typeof signature === "string" &&
      fresh &&
      /^[0-9a-f]{128}$/i.test(signature) &&
      verify(null, Buffer.from(timestamp + body), publicKey, Buffer.from(signature, "hex"));
    if (!valid) return reply.code(401).send({ error: "invalid request signature" });

    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body) as APIInteraction;
    } catch {
      return reply.code(400).send({ error: "the body is not JSON" });
    }
    const id = (interaction as { id?: unknown } | null)?.id;
    if (typeof id !== "string") return reply.code(400).send({ error: "the interaction has no id" });
    // A PING starts nothing, and Discord's endpoint checks may send it more than once.
    if (interaction.type !== InteractionType.Ping && !options.dedupe.firstTime(id)) {
      options.logger.warn({ interaction: id }, "an interaction already handled was posted again; answered 202, nothing started");
      return reply.code(202).send();
    }
    const response = await new Promise<APIInteractionResponse | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ACK_TIMEOUT_MS);
      void handlers
        .onInteraction(interaction, async (ack) => {
          clearTimeout(timer);
          resolve(ack);
        })
        .finally(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
    });
    if (!response) return reply.code(500).send({ error: "the interaction was not acknowledged in time" });
    return reply.send(response);
  });
  return app;
}
