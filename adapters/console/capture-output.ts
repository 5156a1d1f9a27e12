import { PassThrough } from "node:stream";

/** A stream that keeps what is written to it, as stdout or stderr of a test. */
export function captureOutput(options: { isTTY?: boolean; columns?: number; rows?: number } = {}) {
  const stream = Object.assign(new PassThrough(), options);
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { stream, text: () => text };
}
