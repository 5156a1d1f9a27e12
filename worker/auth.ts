import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { UnauthorizedError } from "./errors.js";

// Hashing both sides first gives equal-length buffers, so the comparison takes the same time
// whatever the length or content of the guess.
function sameSecret(candidate: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(candidate), digest(expected));
}

/** An onRequest hook: every route but GET /health needs `Authorization: Bearer <token>`. */
export function createAuthHook(token: string) {
  return async (request: FastifyRequest) => {
    if (request.method === "GET" && request.routeOptions.url === "/health") return;
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedError("missing");
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1] || !sameSecret(match[1], token)) throw new UnauthorizedError("wrong");
  };
}
