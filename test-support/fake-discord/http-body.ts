// Request bodies as Discord reads them: JSON, or multipart/form-data with `payload_json` and
// `files[n]` parts (what discord.js sends when a message carries files).
import type { IncomingMessage } from "node:http";
import { apiError, ErrorCode } from "./errors.js";
import type { RecordedFile } from "./types.js";

export interface UploadedFile extends RecordedFile {
  data: Uint8Array;
}

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
  /** A 400 to answer with (invalid JSON), after the call is recorded. */
  error?: ReturnType<typeof apiError>;
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): ParsedBody {
  if (text.trim() === "") return { body: undefined, files: [] };
  try {
    return { body: JSON.parse(text) as unknown, files: [] };
  } catch {
    return { body: text, files: [], error: apiError(400, ErrorCode.InvalidJson) };
  }
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) return parseJson(raw.toString("utf8"));
  // The platform's own multipart parser (undici's, behind Response#formData).
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  let parsed: ParsedBody = { body: undefined, files: [] };
  const files: UploadedFile[] = [];
  const fields: Record<string, unknown> = {};
  for (const [field, value] of form.entries()) {
    if (typeof value === "string") {
      if (field === "payload_json") parsed = parseJson(value);
      else fields[field] = value;
    } else {
      files.push({ field, name: value.name, size: value.size, contentType: value.type, data: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  // Without payload_json, Discord reads plain form fields (content=..., etc.).
  const body = parsed.body === undefined && Object.keys(fields).length > 0 ? fields : parsed.body;
  return { ...parsed, body, files };
}
