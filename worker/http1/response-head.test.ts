import { describe, expect, it } from "vitest";
import { hasNoBody, MalformedResponseError, MAX_HEAD_BYTES, parseResponseHead, type ResponseHead } from "./response-head.js";

const raw = (...lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");

/** The head parsed from these lines, failing the test if it is incomplete. */
function headOf(...lines: string[]): ResponseHead {
  const parsed = parseResponseHead(raw(...lines));
  if (parsed === undefined) throw new Error("the head was not complete");
  return parsed.head;
}

const GO_HEAD = ["HTTP/1.1 200 OK", "Content-Type: application/x-ndjson", "Date: Tue, 04 Mar 2025 10:00:00 GMT", "Transfer-Encoding: chunked"];

describe("parseResponseHead", () => {
  it("returns undefined until the empty line that ends the head has arrived", () => {
    const whole = raw(...GO_HEAD);
    for (let length = 0; length < whole.length; length++) {
      expect(parseResponseHead(whole.subarray(0, length)), `first ${length} bytes`).toBeUndefined();
    }
    expect(parseResponseHead(whole)?.bodyStart).toBe(whole.length);
  });

  it("reads the status, Content-Type and Content-Length", () => {
    expect(headOf("HTTP/1.1 404 Not Found", "Content-Type: application/json; charset=utf-8", "Content-Length: 42")).toEqual({
      status: 404,
      contentType: "application/json; charset=utf-8",
      contentLength: 42,
      chunked: false,
      closes: false,
    });
  });

  it("reads a status line without a reason phrase", () => {
    expect(headOf("HTTP/1.1 204").status).toBe(204);
  });

  it("leaves Content-Type and Content-Length undefined when they are missing", () => {
    const head = headOf("HTTP/1.1 200 OK");
    expect(head.contentType).toBeUndefined();
    expect(head.contentLength).toBeUndefined();
  });

  it("sees a chunked body whatever the case of the header and its value", () => {
    expect(headOf(...GO_HEAD).chunked).toBe(true);
    expect(headOf("HTTP/1.1 200 OK", "transfer-encoding: Chunked").chunked).toBe(true);
    expect(headOf("HTTP/1.1 200 OK", "TRANSFER-ENCODING: CHUNKED").chunked).toBe(true);
  });

  it("sees a chunked body when chunked is the last of several codings", () => {
    expect(headOf("HTTP/1.1 200 OK", "Transfer-Encoding: gzip, chunked").chunked).toBe(true);
    expect(headOf("HTTP/1.1 200 OK", "Transfer-Encoding: gzip,chunked").chunked).toBe(true);
  });

  it("does not frame by chunks when chunked is missing or not the last coding", () => {
    expect(headOf("HTTP/1.1 200 OK", "Content-Length: 5").chunked).toBe(false);
    expect(headOf("HTTP/1.1 200 OK", "Transfer-Encoding: gzip").chunked).toBe(false);
    expect(headOf("HTTP/1.1 200 OK", "Transfer-Encoding: chunked, gzip").chunked).toBe(false);
  });

  it("keeps an HTTP/1.1 connection open unless Connection has a close token", () => {
    expect(headOf("HTTP/1.1 200 OK").closes).toBe(false);
    expect(headOf("HTTP/1.1 200 OK", "Connection: keep-alive").closes).toBe(false);
    expect(headOf("HTTP/1.1 200 OK", "Connection: close").closes).toBe(true);
    expect(headOf("HTTP/1.1 200 OK", "connection: Keep-Alive, CLOSE").closes).toBe(true);
  });

  it("closes an HTTP/1.0 connection by default and keeps it open with Connection: keep-alive", () => {
    expect(headOf("HTTP/1.0 200 OK").closes).toBe(true);
    expect(headOf("HTTP/1.0 200 OK", "Connection: close").closes).toBe(true);
    expect(headOf("HTTP/1.0 200 OK", "Connection: keep-alive").closes).toBe(false);
    expect(headOf("HTTP/1.0 200 OK", "Connection: Upgrade").closes).toBe(true);
  });

  it("reads every Connection line, so a close on any of them closes", () => {
    expect(headOf("HTTP/1.1 200 OK", "Connection: close", "Connection: x-trace").closes).toBe(true);
  });

  it("puts bodyStart at the first byte after the head", () => {
    const body = Buffer.from('{"text":"\r\n\r\n"}\n');
    const head = raw("HTTP/1.1 200 OK", `Content-Length: ${body.length}`);
    const bytes = Buffer.concat([head, body]);
    const parsed = parseResponseHead(bytes);
    expect(parsed?.bodyStart).toBe(head.length);
    expect(bytes.subarray(parsed?.bodyStart)).toEqual(body);
  });

  it("matches header names in any case and trims the values", () => {
    expect(headOf("HTTP/1.1 200 OK", "CONTENT-type:   text/plain  ", "content-LENGTH:7", "X-Other: ignored")).toEqual({
      status: 200,
      contentType: "text/plain",
      contentLength: 7,
      chunked: false,
      closes: false,
    });
  });

  it("refuses a status line that is not HTTP/1.x", () => {
    for (const statusLine of ["HTTP/2 200 OK", "HTTP/1.2 200 OK", "ICY 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 200OK", "<html>"]) {
      expect(() => headOf(statusLine), statusLine).toThrow(MalformedResponseError);
    }
  });

  it("refuses a header line without a colon or without a name", () => {
    expect(() => headOf("HTTP/1.1 200 OK", "Content-Type application/json")).toThrow(MalformedResponseError);
    expect(() => headOf("HTTP/1.1 200 OK", ": no name")).toThrow(MalformedResponseError);
  });

  it("refuses a Content-Length that is not a plain number", () => {
    for (const value of ["abc", "-1", "12abc", "1.5", "", "5, 5"]) {
      expect(() => headOf("HTTP/1.1 200 OK", `Content-Length: ${value}`), JSON.stringify(value)).toThrow(MalformedResponseError);
    }
  });

  it("refuses two Content-Length headers that disagree, and accepts two that agree", () => {
    expect(() => headOf("HTTP/1.1 200 OK", "Content-Length: 5", "Content-Length: 7")).toThrow("two Content-Length headers that disagree (5 and 7)");
    expect(headOf("HTTP/1.1 200 OK", "Content-Length: 5", "Content-Length: 5").contentLength).toBe(5);
  });

  it("refuses a head longer than MAX_HEAD_BYTES even when its end arrives in the same read", () => {
    expect(() => headOf("HTTP/1.1 200 OK", `X-Long: ${"a".repeat(MAX_HEAD_BYTES)}`)).toThrow(MalformedResponseError);
  });

  it("refuses a head longer than MAX_HEAD_BYTES whose end has not arrived", () => {
    const start = "HTTP/1.1 200 OK\r\nX-Long: ";
    const atLimit = Buffer.from(start + "a".repeat(MAX_HEAD_BYTES - start.length));
    expect(atLimit.length).toBe(MAX_HEAD_BYTES);
    expect(parseResponseHead(atLimit)).toBeUndefined();
    expect(() => parseResponseHead(Buffer.concat([atLimit, Buffer.from("a")]))).toThrow(MalformedResponseError);
  });
});

describe("hasNoBody", () => {
  it("is true for 1xx, 204 and 304", () => {
    for (const status of [100, 101, 103, 199, 204, 304]) expect(hasNoBody(status), String(status)).toBe(true);
  });

  it("is false for statuses that carry a body", () => {
    for (const status of [200, 201, 205, 301, 404, 500]) expect(hasNoBody(status), String(status)).toBe(false);
  });
});
