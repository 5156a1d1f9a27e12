import type { Readable } from "node:stream";

// Watches Ollama's response as it is piped to the caller, for the worker's log line and
// metrics: when the first chunk came, and what the last line said. The last line of a stream
// is the final chunk ("done":true with the counts) or an {"error"} line, and an unstreamed
// answer is a single object, so only that line is ever parsed. Chunks are kept by reference
// until a newline shows that a line is complete: nothing is copied or decoded on the way.

export interface GenerationOutcome {
  firstChunkAt?: number;
  promptTokens?: number;
  completionTokens?: number;
  doneReason?: string;
  /** An {"error": ...} line sent mid-stream with status 200. */
  streamError?: string;
}

const NEWLINE = 0x0a;

export function watchGeneration(response: Readable, now: () => number = () => performance.now()): GenerationOutcome {
  const outcome: GenerationOutcome = {};
  let lastLine: Buffer[] = [];
  let currentLine: Buffer[] = [];

  response.on("data", (chunk: Buffer) => {
    outcome.firstChunkAt ??= now();
    const end = chunk.lastIndexOf(NEWLINE);
    if (end === -1) {
      currentLine.push(chunk);
      return;
    }
    // (lastIndexOf counts a negative offset from the end, so a leading newline is its own case)
    const start = end === 0 ? 0 : chunk.lastIndexOf(NEWLINE, end - 1) + 1;
    lastLine = start === 0 ? [...currentLine, chunk.subarray(0, end)] : [chunk.subarray(start, end)];
    currentLine = end + 1 < chunk.length ? [chunk.subarray(end + 1)] : [];
  });
  // A 'data' listener sets the stream flowing; until Fastify pipes it to the caller (a tick or
  // more later), that would drop chunks on the floor. Paused, it waits for pipe() to resume it.
  response.pause();
  response.on("end", () => {
    const final = parse(Buffer.concat(currentLine.length > 0 ? currentLine : lastLine));
    if (!final) return;
    if (typeof final.error === "string") outcome.streamError = final.error;
    if (final.done === true) {
      outcome.promptTokens = numberOr(final.prompt_eval_count);
      outcome.completionTokens = numberOr(final.eval_count);
      outcome.doneReason = typeof final.done_reason === "string" ? final.done_reason : undefined;
    }
  });
  return outcome;
}

function parse(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}
