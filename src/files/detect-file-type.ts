import { fileTypeFromBuffer } from "file-type";
import type { ImageType, TextType } from "./attachment.js";
import { classifyText } from "./classify-text.js";
import { decodeText } from "./decode-text.js";
import { FileRefusedError } from "./file-refused-error.js";
import { type NamedType, TYPE_LABELS, typeNamedBy, UNDERSTOOD_TYPES, UNREAD_FORMATS } from "./type-names.js";

/** What a file's bytes are, once they are known to be something the council reads. */
export type DetectedFile = { type: "pdf" | "docx" | ImageType } | { type: TextType; text: string };

const BINARY_TYPES: Record<string, "pdf" | "docx" | ImageType> = {
  pdf: "pdf",
  docx: "docx",
  png: "png",
  jpg: "jpeg",
  webp: "webp",
  gif: "gif",
};

/**
 * The type comes from the bytes; the name is only believed where it names a kind of text. A
 * name that claims another format than the bytes are is refused rather than guessed at, as is
 * anything the council cannot read.
 */
export async function detectFileType(name: string, bytes: Uint8Array): Promise<DetectedFile> {
  const named = typeNamedBy(name);
  const sniffed = await fileTypeFromBuffer(bytes);
  const binary = sniffed === undefined ? undefined : BINARY_TYPES[sniffed.ext];
  if (binary !== undefined) {
    if (named !== undefined && named.type !== binary) throw mismatched(name, named, TYPE_LABELS[binary]);
    return { type: binary };
  }
  const decoded = decodeText(bytes);
  if (decoded.kind === "text") {
    if (named?.family === "binary") throw mismatched(name, named, "text");
    return { type: classifyText(decoded.text, named?.type), text: decoded.text };
  }
  if (decoded.kind === "other-encoding") {
    throw new FileRefusedError(
      "not-utf8",
      `"${name}" looks like text, but not in UTF-8. Save it again as UTF-8 (most editors offer it under "Save as" or "Encoding") and send it again.`,
      name,
    );
  }
  const known = sniffed === undefined ? undefined : UNREAD_FORMATS[sniffed.ext];
  const what = sniffed === undefined ? undefined : (known?.label ?? `a ${sniffed.ext.toUpperCase()} file (${sniffed.mime})`);
  if (named !== undefined) throw mismatched(name, named, what ?? "in no format the council knows");
  const instead = known === undefined ? "" : ` ${known.instead}.`;
  throw new FileRefusedError(
    "unknown-type",
    `${what === undefined ? `"${name}" is not a kind of file` : `"${name}" is ${what}, which is not a kind`} the council can read.${instead} It reads ${UNDERSTOOD_TYPES}.`,
    name,
  );
}

function mismatched(name: string, named: NamedType, bytesAre: string): FileRefusedError {
  const claimed = named.type === undefined ? "text" : TYPE_LABELS[named.type];
  return new FileRefusedError(
    "mismatched-type",
    `"${name}" is named like ${claimed}, but its bytes are ${bytesAre}. Send the file you meant, or give it the extension of what it is.`,
    name,
  );
}
