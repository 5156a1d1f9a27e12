import { readFileSync } from "node:fs";
import { GifWriter } from "omggif";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { PNG } from "pngjs";
import yazl from "yazl";

// Files of each kind the council reads, made on the spot so a test says what is in them; the
// few no JavaScript library here writes (a JPEG, a WEBP, a password-protected PDF) are committed
// small under fixtures/files/, with how they were made in its README.

export function committedFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`fixtures/files/${name}`, import.meta.url)));
}

/** A PDF with a text layer: one page per entry, its text on the page. */
export async function pdfWithPages(pages: readonly string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([595, 842]);
    text.split("\n").forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 14, size: 11, font }));
  }
  return pdf.save();
}

/** A PDF whose pages hold nothing but a drawn rectangle: what a scan without OCR looks like to a reader. */
export async function pdfWithoutText(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 200, height: 100 });
  return pdf.save();
}

/** Zip entries into one archive, each deflated unless it says otherwise. */
export function zipOf(entries: ReadonlyArray<{ name: string; data: Buffer | string; compress?: boolean }>): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(typeof entry.data === "string" ? Buffer.from(entry.data) : entry.data, entry.name, { compress: entry.compress ?? true });
  }
  zip.end();
  return collect(zip.outputStream);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

function documentXml(paragraphs: readonly string[], filler = ""): string {
  const body = paragraphs.map((text) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`).join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>${filler}`;
}

/** The smallest DOCX Word and mammoth open: its content types, its one relationship, its body. */
export function docxWithParagraphs(paragraphs: readonly string[]): Promise<Uint8Array> {
  return zipOf([
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "_rels/.rels", data: RELS },
    { name: "word/document.xml", data: documentXml(paragraphs) },
  ]);
}

/** A DOCX whose body unpacks to `megabytes` of spaces: a few hundred kilobytes sent, a bomb opened. */
export function docxBomb(megabytes: number): Promise<Uint8Array> {
  return zipOf([
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "_rels/.rels", data: RELS },
    { name: "word/document.xml", data: documentXml(["boom"], " ".repeat(megabytes * 1024 * 1024)) },
  ]);
}

/** A DOCX with `count` small entries besides its body. */
export function docxWithEntries(count: number): Promise<Uint8Array> {
  const extra = Array.from({ length: count }, (_, index) => ({ name: `word/media/part${index}.xml`, data: "<x/>" }));
  return zipOf([
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "_rels/.rels", data: RELS },
    { name: "word/document.xml", data: documentXml(["many parts"]) },
    ...extra,
  ]);
}

/**
 * The archive with the uncompressed size of every entry in its central directory (the one
 * readers trust) set to `size`: a zip bomb that lies about what it holds.
 */
export function withDeclaredSizes(zip: Uint8Array, size: number): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let offset = bytes.indexOf(CENTRAL_ENTRY); offset !== -1; offset = bytes.indexOf(CENTRAL_ENTRY, offset + 4)) {
    bytes.writeUInt32LE(size, offset + 24);
  }
  return new Uint8Array(bytes);
}
const CENTRAL_ENTRY = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

/** A PNG of width × height pixels, each from `pixel(x, y)` as [r, g, b, a] (default: a gradient). */
export function png(width: number, height: number, pixel: (x: number, y: number) => readonly number[] = (x, y) => [x % 256, y % 256, 128, 255]): Uint8Array {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4);
  }
  return new Uint8Array(PNG.sync.write(image));
}

/** A GIF of two frames, the first red and the second blue, so a test can tell which one it got. */
export function twoFrameGif(width: number, height: number): Uint8Array {
  const buffer = Buffer.alloc(1024 + width * height * 4);
  const gif = new GifWriter(buffer, width, height, { palette: [0xff0000, 0x0000ff], loop: 0 });
  gif.addFrame(0, 0, width, height, new Array(width * height).fill(0), { delay: 10 });
  gif.addFrame(0, 0, width, height, new Array(width * height).fill(1), { delay: 10 });
  return new Uint8Array(buffer.subarray(0, gif.end()));
}

async function collect(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
