// How Ollama's HTTP layer (Gin) labels its responses, and how it reads request bodies.
import type { IncomingMessage } from "node:http";

// Gin's c.JSON content type; ollama-js only checks that it includes "application/json".
export const JSON_TYPE = "application/json; charset=utf-8";
export const NDJSON_TYPE = "application/x-ndjson";

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * JSON.parse with the messages Go's encoding/json gives through Gin's ShouldBindJSON:
 * "missing request body" for an empty body, "invalid character ..." or "unexpected EOF" otherwise.
 */
export function parseJsonBody(text: string): ParsedBody {
  if (text.trim() === "") return { ok: false, error: "missing request body" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: goJsonError(text) };
  }
}

function goJsonError(text: string): string {
  const first = text.trimStart()[0] ?? "";
  if (!/[{["\-\dtfn]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
  // A prefix of valid JSON that stops early is what Go calls "unexpected EOF"; the rest is a bad character.
  return looksTruncated(text) ? "unexpected EOF" : "invalid character in JSON body";
}

function looksTruncated(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return inString || depth > 0;
}
