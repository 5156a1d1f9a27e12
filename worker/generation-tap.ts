import { StringDecoder } from "node:string_decoder";
import { Transform } from "node:stream";

// Passes Ollama's response through byte for byte while noting what the worker reports in its
// log line and metrics: when the first chunk left, and the final chunk's counts. Only the line
// that carries "done":true (or an error) is parsed; every other chunk is forwarded unread.

export interface GenerationOutcome {
  firstChunkAt?: number;
  promptTokens?: number;
  completionTokens?: number;
  doneReason?: string;
  /** An {"error": ...} line sent mid-stream with status 200. */
  streamError?: string;
}

export function createGenerationTap(now: () => number = () => performance.now()) {
  const outcome: GenerationOutcome = {};
  const decoder = new StringDecoder("utf8");
  let partialLine = "";

  const inspect = (line: string) => {
    if (line.includes('"done":true')) {
      const final = parse(line);
      outcome.promptTokens = numberOr(final?.prompt_eval_count);
      outcome.completionTokens = numberOr(final?.eval_count);
      outcome.doneReason = typeof final?.done_reason === "string" ? final.done_reason : undefined;
    } else if (line.startsWith('{"error"')) {
      const error = parse(line)?.error;
      outcome.streamError = typeof error === "string" ? error : "error";
    }
  };

  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      outcome.firstChunkAt ??= now();
      const lines = (partialLine + decoder.write(chunk)).split("\n");
      partialLine = lines.pop() ?? "";
      for (const line of lines) inspect(line);
      callback(null, chunk);
    },
    flush(callback) {
      // An unstreamed answer is one JSON object, often without a trailing newline.
      inspect(partialLine + decoder.end());
      callback();
    },
  });

  return { stream, outcome };
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}
