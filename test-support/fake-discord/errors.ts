// Discord's error bodies. Every 4xx is `{ message, code }`; form validation adds `errors`, a
// tree keyed by field names and array indexes whose leaves are `{ _errors: [{ code, message }] }`
// (discord.js flattens it into "embeds[0].description[BASE_TYPE_MAX_LENGTH]: ..." lines).

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: FormErrorTree;
}

export type FormErrorTree = { [key: string]: FormErrorTree } | { _errors: FormError[] };

export interface FormError {
  code: string;
  message: string;
}

/** JSON error codes the fake sends, with Discord's own texts. */
export const ErrorCode = {
  General: 0,
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  RequestEntityTooLarge: 40005,
  InteractionAlreadyAcknowledged: 40060,
  MissingAccess: 50001,
  CannotEditOtherUsersMessage: 50005,
  CannotSendEmptyMessage: 50006,
  CannotSendInNonTextChannel: 50008,
  MissingPermissions: 50013,
  InvalidChannelType: 50024,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InvalidJson: 50109,
  ThreadAlreadyCreated: 160004,
} as const;

const TEXTS: Record<number, string> = {
  [ErrorCode.UnknownChannel]: "Unknown Channel",
  [ErrorCode.UnknownMessage]: "Unknown Message",
  [ErrorCode.UnknownWebhook]: "Unknown Webhook",
  [ErrorCode.UnknownInteraction]: "Unknown interaction",
  [ErrorCode.RequestEntityTooLarge]: "Request entity too large",
  [ErrorCode.InteractionAlreadyAcknowledged]: "Interaction has already been acknowledged.",
  [ErrorCode.MissingAccess]: "Missing Access",
  [ErrorCode.CannotEditOtherUsersMessage]: "Cannot edit a message authored by another user",
  [ErrorCode.CannotSendEmptyMessage]: "Cannot send an empty message",
  [ErrorCode.CannotSendInNonTextChannel]: "Cannot send messages in a non-text channel",
  [ErrorCode.MissingPermissions]: "Missing Permissions",
  [ErrorCode.InvalidChannelType]: "Cannot execute action on this channel type",
  [ErrorCode.InvalidWebhookToken]: "Invalid Webhook Token",
  [ErrorCode.InvalidFormBody]: "Invalid Form Body",
  [ErrorCode.InvalidJson]: "The request body contains invalid JSON.",
  [ErrorCode.ThreadAlreadyCreated]: "A thread has already been created for this message",
};

/** Discord's text for a JSON error code, or a generic one for codes the fake does not know. */
export function errorText(code: number, status: number): string {
  return TEXTS[code] ?? `${status}: ${STATUS_TEXTS[status] ?? "Error"}`;
}

export const STATUS_TEXTS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A status and body a handler answers with instead of a result. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: DiscordErrorBody,
  ) {
    super(body.message);
  }
}

export function apiError(status: number, code: number, message = errorText(code, status)): DiscordHttpError {
  return new DiscordHttpError(status, { message, code });
}

/** Collects form errors at their paths and turns them into one 50035. */
export class FormErrors {
  private readonly tree: Record<string, unknown> = {};
  private count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    const leaf = node as { _errors?: FormError[] };
    (leaf._errors ??= []).push({ code, message });
    this.count++;
  }

  maxLength(path: readonly (string | number)[], max: number): void {
    this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  }

  required(path: readonly (string | number)[]): void {
    this.add(path, "BASE_TYPE_REQUIRED", "This field is required");
  }

  /** Whether anything was reported at or under this top-level key. */
  has(key: string): boolean {
    return key in this.tree;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Throws the collected errors as Discord's 400 Invalid Form Body, if there are any. */
  throwIfAny(): void {
    if (this.empty) return;
    throw new DiscordHttpError(400, {
      message: errorText(ErrorCode.InvalidFormBody, 400),
      code: ErrorCode.InvalidFormBody,
      errors: this.tree as FormErrorTree,
    });
  }
}
