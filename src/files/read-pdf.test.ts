import { describe, expect, it } from "vitest";
import { pdfWithPages } from "../../test-support/file-fixtures.js";
import { FileRefusedError } from "./file-refused-error.js";
import { readPdf } from "./read-pdf.js";

// The time bound on reading a PDF's text: with no time at all, even a small PDF is refused, so
// the bound is really in the path (a hostile PDF's slowness cannot be made on demand here).

describe("reading a PDF within its time", () => {
  it("refuses a PDF that takes longer than the limit to read, saying what to send instead", async () => {
    const bytes = await pdfWithPages(["one", "two", "three"]);
    const error = await readPdf("slow.pdf", bytes, 10, 0).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileRefusedError);
    expect(error).toMatchObject({ kind: "too-slow", fileName: "slow.pdf" });
    expect((error as Error).message).toBe('"slow.pdf" took more than 0 s to read, so the council stopped reading it. Send the pages that matter, or its text.');
  });

  it("reads the same PDF within the default limit", async () => {
    const read = await readPdf("fine.pdf", await pdfWithPages(["one", "two", "three"]), 10);
    expect(read.pages).toBe(3);
    expect(read.text).toContain("--- page 3 ---\nthree");
  });
});
