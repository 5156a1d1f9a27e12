import type { FastifyInstance, FastifyRequest } from "fastify";
import { BadRequestError } from "./errors.js";

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * Parses every POST body as JSON whatever its Content-Type, as Ollama does (its own docs use
 * `curl -d`, which sends application/x-www-form-urlencoded), and keeps the text so a
 * generation is forwarded with the caller's exact bytes instead of a re-serialisation.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (request, text, done) => {
    if (text === "") return done(null, undefined);
    try {
      const body: unknown = JSON.parse(text as string);
      rawBodies.set(request, text as string);
      done(null, body);
    } catch (error) {
      done(new BadRequestError(`the request body is not valid JSON (${(error as Error).message})`), undefined);
    }
  });
}

/** The body as the caller sent it, for a request whose body was parsed above. */
export function rawBodyOf(request: FastifyRequest): string | undefined {
  return rawBodies.get(request);
}
