// The head of an HTTP/1.1 response, as Ollama (Go's net/http) sends it: a status line, header
// lines and an empty line, all ending in CRLF. Only what the worker forwards or frames the
// body by is kept.

export interface ResponseHead {
  status: number;
  contentType?: string;
  contentLength?: number;
  chunked: boolean;
  /** The server will close the connection after this response. */
  closes: boolean;
}

export class MalformedResponseError extends Error {
  override readonly name = "MalformedResponseError";
}

/** Go's net/http refuses request heads over 1 MiB; a response head is a few hundred bytes. */
export const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from("\r\n\r\n");

/**
 * Parses the head at the start of `bytes`. Undefined while the head is incomplete; `bodyStart`
 * is where the body's first byte is.
 */
export function parseResponseHead(bytes: Buffer): { head: ResponseHead; bodyStart: number } | undefined {
  const end = bytes.indexOf(HEAD_END);
  if (end === -1 ? bytes.length > MAX_HEAD_BYTES : end > MAX_HEAD_BYTES) {
    throw new MalformedResponseError(`a response head longer than ${MAX_HEAD_BYTES} bytes`);
  }
  if (end === -1) return undefined;
  const [statusLine = "", ...headerLines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
  if (status === undefined) throw new MalformedResponseError(`a status line that is not HTTP/1.x: ${JSON.stringify(statusLine.slice(0, 80))}`);

  const head: ResponseHead = { status: Number(status), chunked: false, closes: false };
  const connection = new Set<string>();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new MalformedResponseError(`a header line without a name: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-type") head.contentType = value;
    else if (name === "content-length") head.contentLength = contentLength(value, head.contentLength);
    else if (name === "transfer-encoding") head.chunked = value.toLowerCase().split(",").at(-1)?.trim() === "chunked";
    else if (name === "connection") for (const token of value.toLowerCase().split(",")) connection.add(token.trim());
  }
  // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it.
  head.closes = connection.has("close") || (statusLine.startsWith("HTTP/1.0") && !connection.has("keep-alive"));
  return { head, bodyStart: end + HEAD_END.length };
}

function contentLength(value: string, earlier: number | undefined): number {
  if (!/^\d{1,15}$/.test(value)) throw new MalformedResponseError(`a Content-Length that is not a number: ${JSON.stringify(value.slice(0, 40))}`);
  const length = Number(value);
  if (earlier !== undefined && earlier !== length) throw new MalformedResponseError(`two Content-Length headers that disagree (${earlier} and ${length})`);
  return length;
}

/** A 1xx, 204 or 304 has no body whatever its headers say (the worker sends no HEAD requests). */
export function hasNoBody(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}
