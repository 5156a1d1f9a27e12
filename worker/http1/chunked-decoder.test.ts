import { describe, expect, it } from "vitest";
import { ChunkedDecoder } from "./chunked-decoder.js";
import { MalformedResponseError } from "./response-head.js";

/** Feeds the pieces in order to one decoder; returns the payload and what each feed returned. */
function decode(pieces: Array<string | Buffer>, decoder = new ChunkedDecoder()): { payload: string; ends: number[] } {
  const payload: Buffer[] = [];
  const ends = pieces.map((piece) => decoder.feed(Buffer.from(piece), (data) => payload.push(Buffer.from(data))));
  return { payload: Buffer.concat(payload).toString("utf8"), ends };
}

/** Splits `text` into pieces of `size` bytes. */
function bytesOf(text: string, size: number): Buffer[] {
  const all = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let i = 0; i < all.length; i += size) pieces.push(all.subarray(i, i + size));
  return pieces;
}

const chunk = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;

// Upper-case size, an extension, a multi-byte character and a trailer, all in one body.
const BODY = "3;name=value\r\nabc\r\nA\r\n0123456789\r\n6\r\nh\u00e9llo\r\n0\r\nX-Checksum: 1\r\n\r\n";
const BODY_PAYLOAD = "abc0123456789h\u00e9llo";
const NEXT_RESPONSE = "HTTP/1.1 200 OK\r\n";

describe("ChunkedDecoder", () => {
  it("joins the chunks of a body that arrives in one buffer and returns where the body ends", () => {
    const { payload, ends } = decode([BODY]);
    expect(payload).toBe(BODY_PAYLOAD);
    expect(ends).toEqual([Buffer.byteLength(BODY)]);
  });

  it("returns the end of the body when the start of another response follows it", () => {
    const { payload, ends } = decode([BODY + NEXT_RESPONSE]);
    expect(payload).toBe(BODY_PAYLOAD);
    expect(ends).toEqual([Buffer.byteLength(BODY)]);
  });

  it("decodes the same body fed one byte at a time, ending only on the last byte", () => {
    const pieces = bytesOf(BODY, 1);
    const { payload, ends } = decode(pieces);
    expect(payload).toBe(BODY_PAYLOAD);
    expect(ends).toEqual([...pieces.slice(1).map(() => -1), 1]);
  });

  it("decodes the body split in two at every position, with another response after it", () => {
    const all = Buffer.from(BODY + NEXT_RESPONSE);
    const bodyLength = Buffer.byteLength(BODY);
    for (let split = 1; split < bodyLength; split++) {
      const { payload, ends } = decode([all.subarray(0, split), all.subarray(split)]);
      expect(payload, `split at ${split}`).toBe(BODY_PAYLOAD);
      expect(ends, `split at ${split}`).toEqual([-1, bodyLength - split]);
    }
    expect(decode([all.subarray(0, bodyLength)]).ends).toEqual([bodyLength]);
  });

  it("reads hexadecimal sizes in lower and upper case", () => {
    const data = "x".repeat(0x1af);
    expect(decode([`1af\r\n${data}\r\n0\r\n\r\n`]).payload).toBe(data);
    expect(decode([`1AF\r\n${data}\r\n0\r\n\r\n`]).payload).toBe(data);
  });

  it("ignores chunk extensions after the size", () => {
    const body = "5;name=value\r\nhello\r\n6;a=1;b=\"two\"\r\n world\r\n0;last\r\n\r\n";
    expect(decode([body])).toEqual({ payload: "hello world", ends: [body.length] });
  });

  it("skips trailer lines after the last chunk and ends at the empty line", () => {
    const body = "5\r\nhello\r\n0\r\nX-One: 1\r\nX-Two: 2\r\n\r\n";
    expect(decode([`${body}5\r\nafter`])).toEqual({ payload: "hello", ends: [body.length] });
  });

  it("ends an empty body at its terminator without handing on any payload", () => {
    const seen: Buffer[] = [];
    expect(new ChunkedDecoder().feed(Buffer.from("0\r\n\r\nrest"), (data) => seen.push(data))).toBe(5);
    expect(seen).toEqual([]);
  });

  it("hands on the payload as views into the fed buffers, losing nothing when a chunk spans several feeds", () => {
    const decoder = new ChunkedDecoder();
    const first = Buffer.from("a\r\n0123");
    const second = Buffer.from("45");
    const third = Buffer.from("6789\r\n0\r\n\r\n");
    const seen: Array<{ view: Buffer; fed: Buffer }> = [];
    for (const fed of [first, second, third]) decoder.feed(fed, (view) => seen.push({ view, fed }));
    expect(seen.map(({ view }) => view.toString())).toEqual(["0123", "45", "6789"]);
    for (const { view, fed } of seen) expect(view.buffer).toBe(fed.buffer);
    expect(seen[0]?.view.byteOffset).toBe(first.byteOffset + 3);
    expect(seen[2]?.view.byteOffset).toBe(third.byteOffset);
  });

  it("passes an Ollama NDJSON stream through as its lines", () => {
    const words = ["The", " sky", " is", " blue", "."];
    const lines = words.map((content) => `${JSON.stringify({ model: "llama3.2:3b", message: { role: "assistant", content }, done: false })}\n`);
    lines.push(`${JSON.stringify({ model: "llama3.2:3b", message: { role: "assistant", content: "" }, done: true, done_reason: "stop", eval_count: 5 })}\n`);
    const body = `${lines.map(chunk).join("")}0\r\n\r\n`;
    for (const size of [body.length, 7, 1]) {
      const { payload, ends } = decode(bytesOf(body, size));
      expect(payload).toBe(lines.join(""));
      expect(ends.slice(0, -1).every((end) => end === -1)).toBe(true);
      expect(ends.at(-1)).toBe(body.length - (ends.length - 1) * size);
      const messages = payload.trimEnd().split("\n").map((line) => JSON.parse(line) as { message: { content: string }; done: boolean });
      expect(messages.map((m) => m.message.content).join("")).toBe("The sky is blue.");
      expect(messages.map((m) => m.done)).toEqual([false, false, false, false, false, true]);
    }
  });

  it("refuses a chunk size that is not hexadecimal", () => {
    for (const size of ["g", "-5", "0x5", "", "5 5", "1234567890abc"]) {
      expect(() => decode([`${size}\r\nhello\r\n0\r\n\r\n`]), JSON.stringify(size)).toThrow(MalformedResponseError);
    }
  });

  it("refuses a chunk longer than its declared size", () => {
    expect(() => decode(["5\r\nhello, world\r\n0\r\n\r\n"])).toThrow(MalformedResponseError);
    expect(() => decode(["5\r\nhel", "lo!\r\n0\r\n\r\n"])).toThrow(MalformedResponseError);
  });

  it("refuses a size line longer than 8 KiB without a newline, even across feeds", () => {
    expect(() => decode([`5;${"x".repeat(8 * 1024)}`])).toThrow(MalformedResponseError);
    const decoder = new ChunkedDecoder();
    expect(decode([`5;${"x".repeat(4000)}`, "y".repeat(4000)], decoder).ends).toEqual([-1, -1]);
    expect(() => decode(["z".repeat(500)], decoder)).toThrow(MalformedResponseError);
  });

  it("refuses a trailer line longer than 8 KiB that arrives whole", () => {
    expect(() => decode([`0\r\nX-Long: ${"x".repeat(8 * 1024)}\r\n\r\n`])).toThrow(MalformedResponseError);
  });

  it("accepts a size line of exactly 8 KiB held back across feeds", () => {
    const extension = `5;${"x".repeat(8 * 1024 - 2)}`;
    expect(decode([extension, "\r\nhello\r\n0\r\n\r\n"]).payload).toBe("hello");
  });
});
