import { MalformedResponseError } from "./response-head.js";

// Undoes Transfer-Encoding: chunked as the bytes arrive, however the network splits them:
// "<hex size>[;extension]\r\n<size bytes>\r\n" repeated, then "0\r\n", optional trailer lines
// and an empty line. Payload is handed on as views into the received buffers, never copied.

const MAX_LINE_BYTES = 8 * 1024;
const LF = 0x0a;

type State = "size" | "data" | "data-end" | "trailer";

export class ChunkedDecoder {
  private state: State = "size";
  private remaining = 0;
  /** The start of a line whose end has not arrived yet. */
  private partialLine: Buffer[] = [];
  private partialLength = 0;

  /**
   * Feeds the next bytes of the body, calling `onData` with each piece of payload. Returns the
   * offset in `bytes` just past the end of the body, or -1 if the body goes on.
   */
  feed(bytes: Buffer, onData: (payload: Buffer) => void): number {
    let offset = 0;
    while (offset < bytes.length) {
      if (this.state === "data") {
        const take = Math.min(this.remaining, bytes.length - offset);
        onData(bytes.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = "data-end";
        continue;
      }
      const lineEnd = bytes.indexOf(LF, offset);
      if (lineEnd === -1) {
        this.keepPartialLine(bytes.subarray(offset));
        return -1;
      }
      const line = this.takeLine(bytes.subarray(offset, lineEnd));
      offset = lineEnd + 1;
      if (this.onLine(line)) return offset;
    }
    return -1;
  }

  /** Handles one complete line (without its CRLF) of the size, data-end or trailer state; true when it ends the body. */
  private onLine(line: string): boolean {
    if (this.state === "size") {
      const hex = line.split(";", 1)[0]?.trim() ?? "";
      if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new MalformedResponseError(`a chunk size that is not hexadecimal: ${JSON.stringify(line.slice(0, 40))}`);
      this.remaining = Number.parseInt(hex, 16);
      this.state = this.remaining === 0 ? "trailer" : "data";
      return false;
    }
    if (this.state === "data-end") {
      if (line !== "") throw new MalformedResponseError("a chunk longer than its declared size");
      this.state = "size";
      return false;
    }
    return line === ""; // a trailer line, or the empty line that ends the body
  }

  private keepPartialLine(piece: Buffer): void {
    this.partialLength += piece.length;
    if (this.partialLength > MAX_LINE_BYTES) throw new MalformedResponseError(`a chunk-size or trailer line longer than ${MAX_LINE_BYTES} bytes`);
    this.partialLine.push(piece);
  }

  private takeLine(end: Buffer): string {
    const whole = this.partialLine.length === 0 ? end : Buffer.concat([...this.partialLine, end]);
    this.partialLine = [];
    this.partialLength = 0;
    if (whole.length > MAX_LINE_BYTES + 1) throw new MalformedResponseError(`a chunk-size or trailer line longer than ${MAX_LINE_BYTES} bytes`);
    const text = whole.toString("latin1");
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  }
}
