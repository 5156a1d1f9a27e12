import { createHash } from "node:crypto";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  committedFixture,
  docxBomb,
  docxWithEntries,
  docxWithParagraphs,
  pdfWithPages,
  pdfWithoutText,
  png,
  twoFrameGif,
  withDeclaredSizes,
  zipOf,
} from "../../test-support/file-fixtures.js";
import { type Attachment, attachmentRecord, type DocumentAttachment, type ImageAttachment } from "./attachment.js";
import type { FileLimits } from "./file-limits.js";
import { type FileRefusalKind, FileRefusedError } from "./file-refused-error.js";
import { keepCharacters } from "./keep-characters.js";
import { readAttachment, readAttachments } from "./read-attachment.js";

const LIMITS: FileLimits = { maxFiles: 3, maxFileBytes: 10 * 1024 * 1024, maxPdfPages: 200, maxCharacters: 200_000, maxImagePixels: 25_000_000 };
const text = (value: string) => new TextEncoder().encode(value);

async function readDocument(name: string, bytes: Uint8Array, limits = LIMITS): Promise<DocumentAttachment> {
  const attachment = await readAttachment(name, bytes, limits);
  if (attachment.kind !== "document") throw new Error(`${name} was read as an image`);
  return attachment;
}

async function readImage(name: string, bytes: Uint8Array, limits = LIMITS): Promise<ImageAttachment> {
  const attachment = await readAttachment(name, bytes, limits);
  if (attachment.kind !== "image") throw new Error(`${name} was read as a document`);
  return attachment;
}

/** The refusal reading gives, checked to be a FileRefusedError of that kind for that file. */
async function refusal(reading: Promise<unknown>, kind: FileRefusalKind, fileName?: string): Promise<FileRefusedError> {
  const error = await reading.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(FileRefusedError);
  const refused = error as FileRefusedError;
  expect({ kind: refused.kind, fileName: refused.fileName }).toEqual({ kind, fileName });
  return refused;
}

describe("reading a document", () => {
  it("reads a PDF's text layer page by page, with its page count, size and sha256", async () => {
    const bytes = await pdfWithPages(["Revenue grew 12% in Q3.", "Costs fell in Q4."]);
    const pdf = await readDocument("report.pdf", bytes);
    expect(pdf).toMatchObject({ kind: "document", name: "report.pdf", type: "pdf", pages: 2, size: bytes.length });
    expect(pdf.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(pdf.text).toBe("--- page 1 ---\nRevenue grew 12% in Q3.\n\n--- page 2 ---\nCosts fell in Q4.");
    expect(pdf.characters).toEqual({ total: pdf.text.length, used: pdf.text.length });
  });

  it("reads a DOCX's paragraphs", async () => {
    const docx = await readDocument("notes.docx", await docxWithParagraphs(["First point.", "Second point."]));
    expect(docx).toMatchObject({ type: "docx", pages: undefined });
    expect(docx.text.trim()).toBe("First point.\n\nSecond point.");
  });

  it("reads a CSV as it is, and calls it a table even without its extension", async () => {
    const csv = "city,population\nLyon,522000\nNantes,320000\n";
    expect(await readDocument("cities.csv", text(csv))).toMatchObject({ type: "csv", text: csv, pages: undefined });
    expect((await readDocument("cities", text(csv))).type).toBe("csv");
  });

  it("reads an HTML page as its text, without tags or scripts", async () => {
    const html = "<!DOCTYPE html><html><head><script>alert(1)</script><title>t</title></head><body><h1>Release notes</h1><p>Fixed <b>the</b> bug.</p></body></html>";
    const page = await readDocument("page.html", text(html));
    expect(page.type).toBe("html");
    expect(page.text).toContain("Fixed the bug.");
    expect(page.text).not.toMatch(/<|alert/);
  });

  it("reads UTF-16 text behind its byte-order mark, as Windows tools write it", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Error: disk full\n", "utf16le")]);
    expect(await readDocument("out.txt", new Uint8Array(utf16))).toMatchObject({ type: "text", text: "Error: disk full\n" });
  });

  it("keeps the start and the end of a long text, says how much it left out, and counts what it kept", async () => {
    const long = `HEADER\n${"x".repeat(10_000)}\nTHE ERROR AT THE END`;
    const doc = await readDocument("app.log", text(long), { ...LIMITS, maxCharacters: 1000 });
    expect(doc.characters).toEqual({ total: long.length, used: 1000 });
    expect(doc.text.startsWith("HEADER\n")).toBe(true);
    expect(doc.text.endsWith("THE ERROR AT THE END")).toBe(true);
    expect(doc.text).toContain(`[… ${long.length - 1000} characters left out here …]`);
  });

  it("keeps the start and the end of a long PDF and DOCX as of a text, counting every character they had", async () => {
    const limits = { ...LIMITS, maxCharacters: 1000 };
    const docx = await docxWithParagraphs(Array.from({ length: 500 }, (_, n) => `Paragraph ${n}: the quarterly figures rose.`));
    const whole = await readDocument("long.docx", docx);
    const cut = await readDocument("long.docx", docx, limits);
    expect(cut).toEqual({ ...whole, characters: { total: whole.text.length, used: 1000 }, text: keepCharacters(whole.text, 1000).text });
    const pdf = await pdfWithPages(Array.from({ length: 30 }, (_, n) => `Page ${n + 1} of the report.`));
    const wholePdf = await readDocument("long.pdf", pdf);
    const cutPdf = await readDocument("long.pdf", pdf, { ...limits, maxCharacters: 200 });
    expect(cutPdf).toEqual({ ...wholePdf, characters: { total: wholePdf.text.length, used: 200 }, text: keepCharacters(wholePdf.text, 200).text });
  });
});

describe("reading an image", () => {
  it("passes a PNG, a JPEG and a WEBP on as they are, with their dimensions", async () => {
    const pngBytes = png(40, 30);
    expect(await readImage("shot.png", pngBytes)).toMatchObject({
      type: "png",
      width: 40,
      height: 30,
      image: { format: "png", base64: Buffer.from(pngBytes).toString("base64") },
    });
    const jpeg = committedFixture("photo-8x6.jpg");
    expect(await readImage("photo.jpg", jpeg)).toMatchObject({ type: "jpeg", width: 8, height: 6, image: { format: "jpeg", base64: Buffer.from(jpeg).toString("base64") } });
    const webp = committedFixture("photo-8x6.webp");
    expect(await readImage("photo.webp", webp)).toMatchObject({ type: "webp", width: 8, height: 6, image: { format: "webp", base64: Buffer.from(webp).toString("base64") } });
  });

  it("sends a GIF's first frame as a PNG, since Ollama decodes no GIF", async () => {
    const gif = await readImage("party.gif", twoFrameGif(4, 3));
    expect(gif).toMatchObject({ type: "gif", width: 4, height: 3, image: { format: "png" } });
    const frame = PNG.sync.read(Buffer.from(gif.image.base64, "base64"));
    expect([frame.width, frame.height]).toEqual([4, 3]);
    expect([...frame.data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
  });

  it("leaves an image's bytes out of what the record keeps", async () => {
    const image = await readImage("shot.png", png(2, 2));
    const record = attachmentRecord(image);
    expect(record).not.toHaveProperty("image");
    expect(record).toMatchObject({ name: "shot.png", type: "png", width: 2, height: 2, sha256: image.sha256 });
  });
});

describe("refusing a file", () => {
  it("refuses an empty file and one over the size limit, saying its size and the limit", async () => {
    await refusal(readAttachment("empty.txt", new Uint8Array(0), LIMITS), "empty", "empty.txt");
    const big = await refusal(readAttachment("big.csv", new Uint8Array(3 * 1024 * 1024).fill(65), { ...LIMITS, maxFileBytes: 2 * 1024 * 1024 }), "too-large", "big.csv");
    expect(big.message).toBe('"big.csv" is 3 MB; a file may be at most 2 MB. Send a smaller file, or only the part that matters.');
  });

  it("refuses a format it does not read, naming what the bytes are and what it reads", async () => {
    const zip = await zipOf([{ name: "a.bin", data: "hello" }]);
    const error = await refusal(readAttachment("archive", zip, LIMITS), "unknown-type", "archive");
    expect(error.message).toMatch(/^"archive" is a ZIP archive, which is not a kind the council can read\. Send the files inside it\. It reads text .*PDF, Word \(DOCX\), and PNG, JPEG, WEBP or GIF images\.$/);
    await refusal(readAttachment("blob", new Uint8Array([0, 1, 2, 3, 200, 201, 0, 7]), LIMITS), "unknown-type", "blob");
  });

  it("refuses a name that claims another format than its bytes, saying what they are", async () => {
    const error = await refusal(readAttachment("invoice.pdf", png(2, 2), LIMITS), "mismatched-type", "invoice.pdf");
    expect(error.message).toBe('"invoice.pdf" is named like a PDF, but its bytes are a PNG image. Send the file you meant, or give it the extension of what it is.');
    await refusal(readAttachment("notes.txt", await pdfWithPages(["x"]), LIMITS), "mismatched-type", "notes.txt");
    await refusal(readAttachment("photo.jpg", text("just text"), LIMITS), "mismatched-type", "photo.jpg");
    const zip = await zipOf([{ name: "a.bin", data: "hello" }]);
    expect((await refusal(readAttachment("report.docx", zip, LIMITS), "mismatched-type", "report.docx")).message).toMatch(/^"report.docx" is named like a Word document \(DOCX\), but its bytes are a ZIP archive\./);
  });

  it("refuses text that is not UTF-8, saying to save it as UTF-8", async () => {
    const latin1 = new Uint8Array(Buffer.from("Café crème, déjà vu\n", "latin1"));
    const error = await refusal(readAttachment("menu.txt", latin1, LIMITS), "not-utf8", "menu.txt");
    expect(error.message).toContain("Save it again as UTF-8");
  });

  it("refuses a password-protected PDF and a damaged one", async () => {
    const locked = await refusal(readAttachment("locked.pdf", committedFixture("password-opensesame.pdf"), LIMITS), "encrypted-pdf", "locked.pdf");
    expect(locked.message).toContain("protected by a password");
    const whole = await pdfWithPages(["x", "y"]);
    const damaged = new Uint8Array([...whole.subarray(0, 40), ...new Uint8Array(200).fill(0x42)]);
    await refusal(readAttachment("damaged.pdf", damaged, LIMITS), "broken-pdf", "damaged.pdf");
  });

  it("refuses a PDF with more pages than allowed, and one with no text layer (a scan)", async () => {
    const error = await refusal(readAttachment("book.pdf", await pdfWithPages(["a", "b", "c"]), { ...LIMITS, maxPdfPages: 2 }), "too-many-pages", "book.pdf");
    expect(error.message).toMatch(/^"book.pdf" has 3 pages; a PDF may have at most 2\./);
    await refusal(readAttachment("scan.pdf", await pdfWithoutText(), LIMITS), "no-text", "scan.pdf");
  });

  it("refuses a document of nothing but whitespace as having no text, however long it is", async () => {
    const limits = { ...LIMITS, maxCharacters: 1000 };
    const spaces = await docxWithParagraphs(Array.from({ length: 2000 }, () => "   "));
    expect((await refusal(readAttachment("blank.docx", spaces, limits), "no-text", "blank.docx")).message).toBe('"blank.docx" has no text in it. Check that it is the file you meant.');
    await refusal(readAttachment("blank.txt", text(`${" ".repeat(3000)}\n${"\t".repeat(3000)}\n`), limits), "no-text", "blank.txt");
  });

  it("refuses a DOCX that unpacks past the bound, that has too many parts, or that lies about its sizes, before mammoth opens it", async () => {
    const big = await docxBomb(60);
    expect(big.length).toBeLessThan(1024 * 1024);
    expect((await refusal(readAttachment("bomb.docx", big, LIMITS), "zip-bomb", "bomb.docx")).message).toContain("unpacks to more than 50 MB");
    await refusal(readAttachment("parts.docx", await docxWithEntries(2001), LIMITS), "zip-bomb", "parts.docx");
    const liar = withDeclaredSizes(await docxBomb(1), 100);
    expect((await refusal(readAttachment("liar.docx", liar, LIMITS), "zip-bomb", "liar.docx")).message).toContain("more than it says it holds");
  });

  it("refuses a damaged DOCX", async () => {
    const whole = await docxWithParagraphs(["x"]);
    await refusal(readAttachment("damaged.docx", whole.subarray(0, whole.length - 30), LIMITS), "broken-docx", "damaged.docx");
  });

  it("refuses an image past the pixel bound from its header, and a damaged image", async () => {
    const error = await refusal(readAttachment("huge.png", png(200, 100), { ...LIMITS, maxImagePixels: 10_000 }), "too-many-pixels", "huge.png");
    expect(error.message).toMatch(/^"huge.png" is 200×100 pixels; an image may have at most 0\.01 million\./);
    const noWidth = png(4, 4);
    noWidth.fill(0, 16, 20); // the width in the PNG's header
    await refusal(readAttachment("zero.png", noWidth, LIMITS), "broken-image", "zero.png");
  });
});

describe("reading a question's files", () => {
  it("reads them all, in order", async () => {
    const read = await readAttachments(
      [
        { name: "a.md", bytes: text("# Title\n\nSome *notes*.") },
        { name: "b.png", bytes: png(3, 3) },
      ],
      LIMITS,
    );
    expect(read.map((file: Attachment) => [file.name, file.kind, file.type])).toEqual([
      ["a.md", "document", "markdown"],
      ["b.png", "image", "png"],
    ]);
  });

  it("refuses more files than allowed before reading any, and says when files are off", async () => {
    const files = [1, 2, 3, 4].map((n) => ({ name: `${n}.txt`, bytes: text("x") }));
    const error = await refusal(readAttachments(files, LIMITS), "too-many-files");
    expect(error.message).toMatch(/^That is 4 files; a question may carry at most 3\./);
    expect((await refusal(readAttachments(files.slice(0, 1), { ...LIMITS, maxFiles: 0 }), "too-many-files")).message).toMatch(/^Files are turned off here/);
  });

  it("checks every file's size before reading the first, so a bad last file costs no extraction", async () => {
    const files = [
      { name: "fine.pdf", bytes: await pdfWithPages(["fine"]) },
      { name: "big.txt", bytes: new Uint8Array(2048).fill(65) },
    ];
    // The first file is a damaged PDF: had it been read first, the refusal would be about it.
    files[0] = { name: "damaged.pdf", bytes: new Uint8Array([...files[0]!.bytes.subarray(0, 40), 1, 2, 3]) };
    await refusal(readAttachments(files, { ...LIMITS, maxFileBytes: 1024 }), "too-large", "big.txt");
  });
});
