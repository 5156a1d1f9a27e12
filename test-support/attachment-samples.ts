import { createHash } from "node:crypto";
import type { DocumentAttachment, ImageAttachment } from "../src/files/index.js";

// Files as readAttachments gives them, written out, for the tests of what is done with them
// after reading (the record, the follow-ups): their facts are what a test checks, not how
// they were read (src/files tests that, from real bytes).

const sha256 = (seed: string) => createHash("sha256").update(seed).digest("hex");

export function sampleDocument(name: string, text: string, more: Partial<DocumentAttachment> = {}): DocumentAttachment {
  return {
    kind: "document",
    type: "text",
    name,
    size: Buffer.byteLength(text),
    sha256: sha256(`document:${name}:${text}`),
    pages: undefined,
    characters: { total: text.length, used: text.length },
    text,
    ...more,
  };
}

/** An image whose `image.base64` is a marker a test can look for wherever it must never be. */
export function sampleImage(name: string, more: Partial<ImageAttachment> = {}): ImageAttachment {
  return {
    kind: "image",
    type: "png",
    name,
    size: 120_000,
    sha256: sha256(`image:${name}`),
    width: 800,
    height: 600,
    image: { base64: `SAMPLE-IMAGE-BYTES-${name}`, format: "png" },
    ...more,
  };
}

/** A two-page PDF report, its text cut to 4 000 of 5 200 characters. */
export const REPORT_PDF = sampleDocument("report.pdf", "Quarterly report. Revenue rose 4% on the year; costs fell.", {
  type: "pdf",
  size: 48_213,
  pages: 2,
  characters: { total: 5_200, used: 4_000 },
});

export const BUILD_LOG = sampleDocument("build.log", "error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.", { type: "log" });

export const PHOTO = sampleImage("photo.png");
