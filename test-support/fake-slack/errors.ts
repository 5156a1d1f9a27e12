// A Web API failure as Slack reports it: HTTP 200 with `{ ok: false, error }` and, for some
// errors, more fields (invalid_blocks carries `errors` and `response_metadata.messages`).
// Handlers throw it; the dispatcher turns it into the answer.

export class SlackError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`fake-slack: ${code}`);
    this.name = "SlackError";
  }

  body(): Record<string, unknown> {
    return { ok: false, error: this.code, ...this.extra };
  }
}

/** Required arguments missing: Slack's generic error for them. */
export function requireArg(args: Readonly<Record<string, unknown>>, name: string): string {
  const value = args[name];
  if (value === undefined || value === null || value === "") throw new SlackError("invalid_arguments", { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
  return String(value);
}
