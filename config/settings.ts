import { z } from "zod";

// Builders for environment settings. Every value arrives as a string (or is absent), so each
// builder parses text and words its error as "what is wrong"; the loader adds the key and the fix
// (the schema's description).

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

export function integer(options: { min: number; max: number; default: number }) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(String(options.default))
      .transform((text, ctx) => parseInteger(text, ctx, options)),
  );
}

function parseInteger(text: string, ctx: z.RefinementCtx, range: { min: number; max: number }): number {
  const value = Number(text.trim());
  if (!/^-?\d+$/.test(text.trim()) || value < range.min || value > range.max) {
    ctx.addIssue({ code: "custom", message: `must be a whole number from ${range.min} to ${range.max}` });
    return z.NEVER;
  }
  return value;
}

const PORTS = { min: 1, max: 65_535 };

export function port(defaultPort: number) {
  return integer({ ...PORTS, default: defaultPort });
}

/** A TCP port for something that is off unless asked for: absent or blank means off (undefined). */
export function optionalPort() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => (text === undefined ? undefined : parseInteger(text, ctx, PORTS))),
  );
}

export function httpUrl(defaultUrl?: string) {
  const text = defaultUrl === undefined ? z.string() : z.string().default(defaultUrl);
  return z.preprocess(
    blankToUndefined,
    text.transform((value, ctx) => parseHttpUrl(value, ctx, "")),
  );
}

export function httpUrlList(defaultUrls: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(defaultUrls)
      .transform((text, ctx) => {
        const items = splitList(text);
        if (items.length === 0) {
          ctx.addIssue({ code: "custom", message: "must list at least one URL" });
          return z.NEVER;
        }
        return items.map((item) => parseHttpUrl(item, ctx, `has "${item}", which `));
      }),
  );
}

/** `subject` prefixes the message, so a list can say which of its entries is wrong. */
function parseHttpUrl(text: string, ctx: z.RefinementCtx, subject: string): string {
  const trimmed = text.trim();
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    ctx.addIssue({ code: "custom", message: `${subject}is not an http:// or https:// URL (expected e.g. http://192.168.1.20:8001)` });
    return z.NEVER;
  }
  // One spelling of every base URL, so callers can append "/api/..." without doubling slashes.
  return url.href.replace(/\/+$/, "");
}

export function optionalText() {
  return z.preprocess(blankToUndefined, z.string().trim().optional());
}

export function textWithDefault(defaultText: string) {
  return z.preprocess(blankToUndefined, z.string().trim().default(defaultText));
}

/** A comma-separated list; absent or blank means "not set" (undefined), not "empty". */
export function optionalList() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((text) => (text === undefined ? undefined : splitList(text)))
      .refine((items) => items === undefined || items.length > 0, "must list at least one item"),
  );
}

export function secret(options: { minLength: number }) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .refine(
        (value) => value === undefined || value.length >= options.minLength,
        `is too short to be safe (at least ${options.minLength} characters)`,
      ),
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(defaultValue)
      .transform((text) => text.trim())
      .pipe(z.enum(values, { error: `must be one of: ${values.join(", ")}` })),
  );
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Discord/Slack ids: a comma-separated list of snowflakes or workspace ids; absent means "anyone". */
export function idList() {
  return optionalList().refine(
    (items) => items === undefined || items.every((item) => /^[A-Za-z0-9]+$/.test(item)),
    "must be a comma-separated list of ids (letters and digits only)",
  );
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * A comma-separated list of origins (scheme://host[:port]) a platform serves files from. https
 * only, except on this machine (127.0.0.1, localhost): the tests' fakes and a local proxy.
 */
export function originList(defaultOrigins: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(defaultOrigins)
      .transform((text, ctx) => {
        const items = splitList(text);
        if (items.length === 0) {
          ctx.addIssue({ code: "custom", message: "must list at least one https:// origin" });
          return z.NEVER;
        }
        return items.map((item) => parseOrigin(item, ctx));
      }),
  );
}

function parseOrigin(text: string, ctx: z.RefinementCtx): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const secure = url?.protocol === "https:" || (url?.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
  if (!url || !secure || url.pathname !== "/" || url.search !== "" || url.username !== "") {
    ctx.addIssue({ code: "custom", message: `has "${text}", which is not an https:// origin (a scheme and a host, no path: e.g. https://files.slack.com)` });
    return z.NEVER;
  }
  return url.origin;
}
