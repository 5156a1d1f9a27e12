// Watches Ollama's response as it is passed to the caller, for the worker's log line and
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

export function watchGeneration(now: () => number = () => performance.now()) {
  const outcome: GenerationOutcome = {};
  let lastLine: Buffer[] = [];
  let currentLine: Buffer[] = [];

  function chunk(bytes: Buffer): void {
    outcome.firstChunkAt ??= now();
    const end = bytes.lastIndexOf(NEWLINE);
    if (end === -1) {
      currentLine.push(bytes);
      return;
    }
    // (lastIndexOf counts a negative offset from the end, so a leading newline is its own case)
    const start = end === 0 ? 0 : bytes.lastIndexOf(NEWLINE, end - 1) + 1;
    lastLine = start === 0 ? [...currentLine, bytes.subarray(0, end)] : [bytes.subarray(start, end)];
    currentLine = end + 1 < bytes.length ? [bytes.subarray(end + 1)] : [];
  }

  /** The response ended: reads the counts or the error from its last line. */
  function end(): void {
    const final = parse(Buffer.concat(currentLine.length > 0 ? currentLine : lastLine));
    if (!final) return;
    if (typeof final.error === "string") outcome.streamError = final.error;
    if (final.done === true) {
      outcome.promptTokens = numberOr(final.prompt_eval_count);
      outcome.completionTokens = numberOr(final.eval_count);
      outcome.doneReason = typeof final.done_reason === "string" ? final.done_reason : undefined;
    }
  }

  return { outcome, chunk, end };
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
