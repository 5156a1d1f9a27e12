import { z } from "zod";
import { BadRequestError } from "./errors.js";

// Only what the worker itself relies on is checked; every other field passes through to
// Ollama untouched (loose objects), so a newer Ollama option needs no worker release.

const model = z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") }).min(1, "must not be empty");
const options = z.record(z.string(), z.unknown(), { error: "must be an object of Ollama options" }).optional();
const format = z.union([z.literal("json"), z.record(z.string(), z.unknown())], { error: 'must be "json" or a JSON Schema object' }).optional();
const stream = z.boolean({ error: "must be true or false" }).optional();
const keepAlive = z.union([z.string(), z.number()], { error: 'must be a duration such as "5m" or a number of seconds' }).optional();

const message = z.looseObject({
  role: z.string({ error: "must be a string (system, user, assistant or tool)" }),
  content: z.string({ error: "must be a string" }).optional(),
  images: z.array(z.string(), { error: "must be an array of base64 strings" }).optional(),
});

export const chatBody = z.looseObject({
  model,
  messages: z.array(message, { error: "must be an array of messages" }).optional(),
  stream,
  format,
  options,
  keep_alive: keepAlive,
});

export const generateBody = z.looseObject({
  model,
  prompt: z.string({ error: "must be a string" }).optional(),
  system: z.string({ error: "must be a string" }).optional(),
  stream,
  format,
  options,
  keep_alive: keepAlive,
});

// Ollama still accepts the older "name" for /api/show.
export const showBody = z
  .looseObject({ model: model.optional(), name: model.optional() })
  .transform((body, ctx) => {
    const name = body.model ?? body.name;
    if (name === undefined) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "is required" });
      return z.NEVER;
    }
    return { ...body, model: name };
  });

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequestError("the request body must be a JSON object");
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const field = first ? fieldName(first.path) : "body";
  throw new BadRequestError(`field "${field}" ${first?.message ?? "is invalid"}`);
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, part) => (typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)),
    "",
  );
}
