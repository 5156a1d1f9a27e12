// Request bodies as the Web API reads them: form-encoded (what web-api sends, objects such as
// blocks JSON-encoded inside), JSON (token in the Authorization header), or multipart; plus the
// query string. JSON-valued form fields are parsed the way Slack parses them.
import type { IncomingMessage } from "node:http";
import type { RecordedCall } from "./types.js";

/** Form fields whose value Slack reads as JSON. */
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata", "unfurls", "view", "user_auth_blocks", "chunks", "files"]);

export interface ParsedArgs {
  args: Record<string, unknown>;
  encoding: RecordedCall["encoding"];
  /** The body was not valid JSON. */
  invalidJson?: boolean;
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJsonFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (JSON_FIELDS.has(key) && typeof value === "string" && value !== "") {
      try {
        out[key] = JSON.parse(value) as unknown;
      } catch {
        out[key] = value;
      }
    } else out[key] = value;
  }
  return out;
}

export async function parseArgs(raw: Buffer, contentType: string | undefined, query: URLSearchParams): Promise<ParsedArgs> {
  const fromQuery = Object.fromEntries(query.entries());
  const type = (contentType ?? "").toLowerCase();
  const text = raw.toString("utf8");
  if (raw.length === 0) return { args: parseJsonFields(fromQuery), encoding: "none" };
  if (type.startsWith("application/json")) {
    try {
      const body = JSON.parse(text) as unknown;
      const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      return { args: { ...fromQuery, ...fields }, encoding: "json" };
    } catch {
      return { args: fromQuery, encoding: "json", invalidJson: true };
    }
  }
  if (type.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType ?? "" } }).formData();
    const fields: Record<string, unknown> = { ...fromQuery };
    for (const [key, value] of form.entries()) fields[key] = typeof value === "string" ? value : { name: value.name, size: value.size };
    return { args: parseJsonFields(fields), encoding: "multipart" };
  }
  const fields = { ...fromQuery, ...Object.fromEntries(new URLSearchParams(text).entries()) };
  return { args: parseJsonFields(fields), encoding: "form" };
}

/** A boolean argument: form fields arrive as "true"/"false"/"1"/"0", JSON ones as booleans. */
export function flag(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  return value === "true" || value === "1" || value === 1;
}
