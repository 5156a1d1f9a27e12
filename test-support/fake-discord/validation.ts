// Discord's limits on what a bot sends, with its 50035 error paths and texts. Lengths are
// counted in UTF-16 code units (JavaScript's .length): never laxer than Discord's count.
import { apiError, ErrorCode, FormErrors } from "./errors.js";

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  embedTotal: 6000,
  threadName: 100,
  nonce: 25,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commands: 100,
} as const;

export const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080] as const;

type Body = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const obj = (v: unknown): Body | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Body) : undefined);

/** The characters Discord counts toward an embed's share of the 6000. */
export function embedChars(embed: Body): number {
  let n = (str(embed.title)?.length ?? 0) + (str(embed.description)?.length ?? 0);
  n += str(obj(embed.footer)?.text)?.length ?? 0;
  n += str(obj(embed.author)?.name)?.length ?? 0;
  if (Array.isArray(embed.fields)) {
    for (const f of embed.fields) n += (str(obj(f)?.name)?.length ?? 0) + (str(obj(f)?.value)?.length ?? 0);
  }
  return n;
}

// A node of Discord's error tree holds either children or _errors, never both (discord.js
// would print only the _errors): a list over its length is reported instead of its items'
// errors, and the 6000 total once every embed passes on its own.
function validateEmbeds(errors: FormErrors, embeds: unknown[]): void {
  if (embeds.length > LIMITS.embeds) return errors.maxLength(["embeds"], LIMITS.embeds);
  let total = 0;
  embeds.forEach((raw, i) => {
    const embed = obj(raw) ?? {};
    total += embedChars(embed);
    const at = (...path: (string | number)[]) => ["embeds", i, ...path];
    if ((str(embed.title)?.length ?? 0) > LIMITS.title) errors.maxLength(at("title"), LIMITS.title);
    if ((str(embed.description)?.length ?? 0) > LIMITS.description) errors.maxLength(at("description"), LIMITS.description);
    if ((str(obj(embed.footer)?.text)?.length ?? 0) > LIMITS.footer) errors.maxLength(at("footer", "text"), LIMITS.footer);
    if ((str(obj(embed.author)?.name)?.length ?? 0) > LIMITS.authorName) errors.maxLength(at("author", "name"), LIMITS.authorName);
    if (!Array.isArray(embed.fields)) return;
    if (embed.fields.length > LIMITS.fields) return errors.maxLength(at("fields"), LIMITS.fields);
    embed.fields.forEach((rawField, j) => {
      const field = obj(rawField) ?? {};
      const name = str(field.name);
      const value = str(field.value);
      if (name === undefined || name === "") errors.required(at("fields", j, "name"));
      else if (name.length > LIMITS.fieldName) errors.maxLength(at("fields", j, "name"), LIMITS.fieldName);
      if (value === undefined || value === "") errors.required(at("fields", j, "value"));
      else if (value.length > LIMITS.fieldValue) errors.maxLength(at("fields", j, "value"), LIMITS.fieldValue);
    });
  });
  if (total > LIMITS.embedTotal && !errors.has("embeds")) {
    errors.add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", `Embed size exceeds maximum size of ${LIMITS.embedTotal}`);
  }
}

/** Content and embed limits of a message create or edit body; throws 400 50035. */
export function validateMessageBody(body: Body): void {
  const errors = new FormErrors();
  const content = str(body.content);
  if (content !== undefined && content.length > LIMITS.content) errors.maxLength(["content"], LIMITS.content);
  if (Array.isArray(body.embeds)) validateEmbeds(errors, body.embeds);
  const allowed = obj(body.allowed_mentions);
  if (allowed && Array.isArray(allowed.parse)) {
    for (const kind of ["users", "roles"] as const) {
      const list = allowed[kind];
      if (allowed.parse.includes(kind) && Array.isArray(list) && list.length > 0) {
        errors.add(
          ["allowed_mentions"],
          "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
          `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
        );
      }
    }
  }
  errors.throwIfAny();
}

/**
 * Create Message's nonce: a string of up to 25 characters or an integer (null is no nonce), with
 * the codes and texts Discord answers (NONCE_TYPE_INVALID_TYPE, NONCE_TYPE_TOO_LONG); throws 400 50035.
 * Integers past 2^53, which JSON.parse cannot keep exact, are refused too: never laxer than Discord.
 */
export function validateNonce(body: Body): void {
  const nonce = body.nonce;
  if (nonce === undefined || nonce === null) return;
  const errors = new FormErrors();
  if (typeof nonce === "string") {
    if (nonce.length > LIMITS.nonce) errors.add(["nonce"], "NONCE_TYPE_TOO_LONG", `Must be ${LIMITS.nonce} or fewer characters long.`);
  } else if (!Number.isSafeInteger(nonce)) {
    errors.add(["nonce"], "NONCE_TYPE_INVALID_TYPE", "This field must be a string or integer.");
  }
  errors.throwIfAny();
}

/** 400 50006 when a message would have nothing to show. */
export function requireNotEmpty(message: { content: string; embeds: unknown[]; attachments: unknown[]; components: unknown[] }, extra: Body = {}): void {
  const hasStickers = Array.isArray(extra.sticker_ids) && extra.sticker_ids.length > 0;
  if (message.content === "" && message.embeds.length === 0 && message.attachments.length === 0 && message.components.length === 0 && !hasStickers && !extra.poll) {
    throw apiError(400, ErrorCode.CannotSendEmptyMessage);
  }
}

/** Thread name and auto-archive duration. */
export function validateThreadBody(body: Body): void {
  const errors = new FormErrors();
  const name = str(body.name);
  if (name === undefined) errors.required(["name"]);
  else if (name.length < 1 || name.length > LIMITS.threadName) {
    errors.add(["name"], "BASE_TYPE_BAD_LENGTH", `Must be between 1 and ${LIMITS.threadName} in length.`);
  }
  const duration = body.auto_archive_duration;
  if (duration !== undefined && duration !== null && !(AUTO_ARCHIVE_DURATIONS as readonly unknown[]).includes(duration)) {
    errors.add(["auto_archive_duration"], "BASE_TYPE_CHOICES", `Value must be one of {${AUTO_ARCHIVE_DURATIONS.join(", ")}}.`);
  }
  errors.throwIfAny();
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateNamed(errors: FormErrors, path: (string | number)[], item: Body, needsDescription: boolean): void {
  const name = str(item.name);
  if (name === undefined) errors.required([...path, "name"]);
  else if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
    errors.add([...path, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  }
  if (!needsDescription) return;
  const description = str(item.description);
  if (description === undefined) errors.required([...path, "description"]);
  else if (description.length < 1 || description.length > LIMITS.commandDescription) {
    errors.add([...path, "description"], "BASE_TYPE_BAD_LENGTH", `Must be between 1 and ${LIMITS.commandDescription} in length.`);
  }
}

/** A bulk-overwrite body (or a one-element list for a single create). */
export function validateCommands(list: unknown): Body[] {
  const errors = new FormErrors();
  if (!Array.isArray(list)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    errors.throwIfAny();
    return [];
  }
  if (list.length > LIMITS.commands) errors.maxLength([], LIMITS.commands);
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const command = obj(raw) ?? {};
    const chatInput = (command.type ?? 1) === 1;
    validateNamed(errors, [i], command, chatInput);
    const key = `${String(command.type ?? 1)}:${String(command.name)}`;
    if (seen.has(key)) errors.add([i, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique");
    seen.add(key);
    if (Array.isArray(command.options)) {
      if (command.options.length > LIMITS.commandOptions) errors.maxLength([i, "options"], LIMITS.commandOptions);
      command.options.forEach((option, j) => validateNamed(errors, [i, "options", j], obj(option) ?? {}, true));
    }
  });
  errors.throwIfAny();
  return list.map((c) => obj(c) ?? {});
}
