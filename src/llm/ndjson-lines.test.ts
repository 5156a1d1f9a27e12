import { describe, expect, it } from "vitest";
import { ndjsonLines } from "./ndjson-lines.js";

async function linesOf(chunks: Array<string | Uint8Array>): Promise<string[]> {
  async function* source() {
    for (const chunk of chunks) yield typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
  }
  const lines: string[] = [];
  for await (const line of ndjsonLines(source())) lines.push(line);
  return lines;
}

describe("ndjsonLines", () => {
  it("joins a line the network split across chunks", async () => {
    expect(await linesOf(['{"a":', '1}\n{"b"', ":2}\n"])).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("yields every line of a chunk that holds several", async () => {
    expect(await linesOf(['{"a":1}\n{"b":2}\n{"c":3}\n'])).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it("keeps a multi-byte character whole when a chunk ends inside it", async () => {
    const bytes = new TextEncoder().encode('{"t":"é"}\n');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
    expect(await linesOf([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(['{"t":"é"}']);
  });

  it("skips blank lines and keeps a last line that has no newline", async () => {
    expect(await linesOf(['\n{"a":1}\r\n\n', '{"done":true}'])).toEqual(['{"a":1}', '{"done":true}']);
  });
});
