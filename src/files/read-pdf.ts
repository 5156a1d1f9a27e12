import { extractText, getDocumentProxy } from "unpdf";
import { FileRefusedError } from "./file-refused-error.js";

/**
 * Reading a PDF's text is CPU work on the bot's own thread, and a PDF is a program of sorts: a
 * hostile one can make a few pages cost minutes. Past this, the document is destroyed (pdf.js
 * stops between operations) and the file refused. A 100-page report reads in about 2 s here.
 */
export const PDF_READ_LIMIT_MS = 30_000;

export interface PdfText {
  pages: number;
  text: string;
}

/**
 * The PDF's text layer, page by page. The page count is known once the cross-reference table is
 * read, before any page is, so a long PDF is refused without being extracted.
 */
export async function readPdf(name: string, bytes: Uint8Array, maxPages: number, limitMs = PDF_READ_LIMIT_MS): Promise<PdfText> {
  // pdf.js takes ownership of the buffer it is given (it may detach it), so it gets a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 }).catch((error: unknown) => {
    throw refusalOf(name, error);
  });
  try {
    if (pdf.numPages > maxPages) {
      throw new FileRefusedError(
        "too-many-pages",
        `"${name}" has ${pdf.numPages} pages; a PDF may have at most ${maxPages}. Send the pages that matter (most PDF viewers can print a range of pages to a new PDF).`,
        name,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new FileRefusedError(
              "too-slow",
              `"${name}" took more than ${Math.round(limitMs / 1000)} s to read, so the council stopped reading it. Send the pages that matter, or its text.`,
              name,
            ),
          ),
        limitMs,
      );
    });
    const { text } = await Promise.race([extractText(pdf, { mergePages: false }), tooSlow])
      .catch((error: unknown) => {
        throw refusalOf(name, error);
      })
      .finally(() => clearTimeout(timer));
    // A marker per page lets a member answer "on page 12" and the user check it.
    const pages = text.map((page, index) => (text.length > 1 ? `--- page ${index + 1} ---\n${page.trim()}` : page.trim()));
    return { pages: pdf.numPages, text: pages.join("\n\n") };
  } finally {
    await pdf.loadingTask.destroy();
  }
}

function refusalOf(name: string, error: unknown): FileRefusedError {
  if (error instanceof FileRefusedError) return error;
  // pdf.js names its exceptions; a PasswordException means the PDF opens only with a password.
  if (error instanceof Error && error.name === "PasswordException") {
    return new FileRefusedError(
      "encrypted-pdf",
      `"${name}" is protected by a password, so the council cannot read it. Remove the password (open it and save or print it as a new PDF) and send that.`,
      name,
      { cause: error },
    );
  }
  return new FileRefusedError(
    "broken-pdf",
    `"${name}" is a damaged PDF that cannot be read. Open it and save it again as a PDF, or send its text instead.`,
    name,
    { cause: error },
  );
}
