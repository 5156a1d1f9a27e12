import type { FastifyInstance } from "fastify";
import { BadRequestError } from "./errors.js";
import { assertUnambiguousJson } from "./json-shape.js";

/**
 * Parses every POST body as JSON whatever its Content-Type, as Ollama does (its own docs use
 * `curl -d`, which sends application/x-www-form-urlencoded). Only the parsed value goes on:
 * routes forward what they validated, serialised again, never the caller's bytes.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, text, done) => {
    if (text === "") return done(null, undefined);
    let body: unknown;
    try {
      body = JSON.parse(text as string);
    } catch (error) {
      return done(new BadRequestError(`the request body is not valid JSON (${(error as Error).message})`), undefined);
    }
    try {
      assertUnambiguousJson(body);
    } catch (error) {
      return done(error as BadRequestError, undefined);
    }
    done(null, body);
  });
}
