import { extractText, getDocumentProxy } from "unpdf";
import { FileRefusedError } from "./file-refused-error.js";

// Runs in the extraction worker (extraction-worker-main.ts), never on the bot's thread: a PDF is
// a program of sorts, and a hostile one can make a few pages cost minutes. The worker's time and
// memory bounds (extraction-workers.ts) stop it; nothing here needs to.

export interface PdfText {
  pages: number;
  text: string;
}

/**
 * The PDF's text layer, page by page. The page count is known once the cross-reference table is
 * read, before any page is, so a long PDF is refused without being extracted. pdf.js takes
 * ownership of `bytes` (it may detach their buffer).
 */
export async function extractPdf(name: string, bytes: Uint8Array, maxPages: number): Promise<PdfText> {
  const pdf = await getDocumentProxy(bytes, { verbosity: 0 }).catch((error: unknown) => {
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
    const { text } = await extractText(pdf, { mergePages: false }).catch((error: unknown) => {
      throw refusalOf(name, error);
    });
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
