import { errors } from "undici";
import { OllamaBadResponseError, OllamaUnreachableError, type WorkerHttpError } from "./errors.js";

// What went wrong between the worker and Ollama, told apart by what undici reports: either
// nothing usable came back (Ollama down, a reset before any answer) or what came back is not
// HTTP/1.1 that can be passed on safely (conflicting framing, a status that is no status,
// control bytes in a header). Both are the caller's 502, with a message naming the cause.

/** Thrown by the worker's own checks on a response undici accepted (e.g. status 600). */
export class InvalidResponseError extends Error {
  override readonly name = "InvalidResponseError";
}

const MALFORMED_CODES = new Set(["UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "UND_ERR_RES_EXCEEDED_MAX_SIZE", "UND_ERR_HEADERS_OVERFLOW", "UND_ERR_INFO"]);

// undici names these cases only in its message: an unasked-for 1xx or an upgrade nobody asked for.
const REFUSED_HEADS = new Set(["bad response", "bad upgrade"]);

export function isMalformedResponse(error: unknown): boolean {
  if (error instanceof InvalidResponseError || error instanceof errors.HTTPParserError) return true;
  if (error instanceof errors.SocketError && REFUSED_HEADS.has(error.message)) return true;
  // undici asserts on a status line below 100 (e.g. "HTTP/1.1 000") rather than raising a parser error.
  if (error instanceof Error && error.name === "AssertionError") return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && MALFORMED_CODES.has(code);
}

/** The connection closed or broke: undici's "other side closed", or the system's reset. */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (error instanceof errors.SocketError && !isMalformedResponse(error)) || code === "ECONNRESET" || code === "EPIPE";
}

function detail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // undici's parser refuses a head framed two ways (RFC 9112 6.1) under this code too.
  if ((error as { code?: unknown }).code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH") return "its Content-Length disagrees with its body or comes with Transfer-Encoding";
  // An assertion's message ends with the expression that failed, e.g. assert(statusCode >= 100).
  if (error instanceof Error && error.name === "AssertionError") return message.trim().split("\n").at(-1)?.trim() ?? message;
  // undici's parser messages start with a sentence of their own; the part in brackets is the cause.
  return /\(([^()]+)\)\s*$/.exec(message)?.[1] ?? message.split("\n")[0] ?? message;
}

/** A failure before the response head reached the worker, as the caller's error. */
export function failureBeforeHead(url: string, call: string, error: unknown): WorkerHttpError {
  if (isMalformedResponse(error)) return new OllamaBadResponseError(url, call, `a response that is not valid HTTP/1.1 (${detail(error)})`);
  return new OllamaUnreachableError(url, isConnectionLoss(error) ? { code: "ECONNRESET" } : error);
}

/** A failure after the head: the body broke off or turned malformed; the message is what the caller is told. */
export function failureMidBody(url: string, error: unknown): Error {
  if (isMalformedResponse(error)) return new Error(`Ollama at ${url} sent a malformed response body (${detail(error)}); the answer was cut there`);
  if (isConnectionLoss(error)) return new Error(`Ollama at ${url} closed the connection before the answer ended; did it crash or restart?`);
  return new Error(`the connection to Ollama at ${url} failed mid-answer (${detail(error)})`);
}
