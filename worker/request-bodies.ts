import { z } from "zod";
import { BadRequestError } from "./errors.js";

// Only what the worker itself relies on is checked; every other field passes through to
// Ollama untouched (loose objects), so a newer Ollama option needs no worker release.

const model = z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") }).min(1, "must not be empty");
const options = z.record(z.string(), z.unknown(), { error: "must be an object of Ollama options" }).optional();
const format = z.union([z.literal("json"), z.record(z.string(), z.unknown())], { error: 'must be "json" or a JSON Schema object' }).optional();
const stream = z.boolean({ error: "must be true or false" }).optional();
const keepAlive = z.union([z.string(), z.number()], { error: 'must be a duration such as "5m" or a number of seconds' }).optional();

/**
 * Images in one request, all messages together. Each costs the GPU an image encoding and
 * hundreds of prompt tokens, so a body of many tiny images must not multiply the work; the
 * bot sends at most a handful (its file count, default 3).
 */
export const MAX_IMAGES_PER_REQUEST = 16;

const image = z
  .string({ error: "must be a base64 string" })
  .min(1, "is empty; send the image file's bytes in base64")
  .refine(isBase64, "is not base64; send the image file's bytes in standard base64 with padding (not a data: URL, not base64url)");
const images = z.array(image, { error: "must be an array of base64 strings" }).optional();

const message = z.looseObject({
  role: z.string({ error: "must be a string (system, user, assistant or tool)" }),
  content: z.string({ error: "must be a string" }).optional(),
  images,
});

export const chatBody = z
  .looseObject({
    model,
    messages: z.array(message, { error: "must be an array of messages" }).optional(),
    stream,
    format,
    options,
    keep_alive: keepAlive,
  })
  .superRefine((body, ctx) => boundImages(body.messages?.reduce((count, each) => count + (each.images?.length ?? 0), 0) ?? 0, "messages", ctx));

export const generateBody = z
  .looseObject({
    model,
    prompt: z.string({ error: "must be a string" }).optional(),
    system: z.string({ error: "must be a string" }).optional(),
    images,
    stream,
    format,
    options,
    keep_alive: keepAlive,
  })
  .superRefine((body, ctx) => boundImages(body.images?.length ?? 0, "images", ctx));

function boundImages(count: number, field: string, ctx: z.RefinementCtx): void {
  if (count > MAX_IMAGES_PER_REQUEST) {
    ctx.addIssue({ code: "custom", path: [field], message: `carries ${count} images; the worker takes at most ${MAX_IMAGES_PER_REQUEST} in one request` });
  }
}

// Ollama decodes each image as Go decodes []byte: standard base64 with padding, line breaks
// ignored. Checked here in a few passes that run at memory speed (a 10 MiB image is 14 MB of
// text), not by decoding it: a regular expression anchored at both ends is ten times slower.
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

function isBase64(text: string): boolean {
  const bare = text.includes("\n") || text.includes("\r") ? text.replace(/[\r\n]/g, "") : text;
  if (bare.length % 4 !== 0 || NOT_BASE64.test(bare)) return false;
  // "=" only as the padding of the last group of four: "xx==" or "xxx=".
  const padding = bare.indexOf("=");
  return padding === -1 || padding === bare.length - 1 || (padding === bare.length - 2 && bare.endsWith("="));
}

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
