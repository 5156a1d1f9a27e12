/**
 * The bytes as text, if they are text: UTF-8 without NUL (a NUL is the surest mark of a binary
 * file), or UTF-16 behind its byte-order mark (what Windows tools such as PowerShell write).
 * "other-encoding" is text in a legacy encoding (Latin-1, Windows-1252): few control bytes, but
 * not valid UTF-8; the user can save it again as UTF-8.
 */
export type DecodedText = { kind: "text"; text: string } | { kind: "other-encoding" } | { kind: "binary" };

export function decodeText(bytes: Uint8Array): DecodedText {
  const utf16 = utf16Encoding(bytes);
  if (utf16 !== undefined) {
    const text = decodeStrictly(utf16, bytes);
    return text === undefined || text.includes("\0") ? { kind: "binary" } : { kind: "text", text };
  }
  if (bytes.includes(0)) return { kind: "binary" };
  const text = decodeStrictly("utf-8", bytes);
  if (text !== undefined) return { kind: "text", text };
  return looksLikeLegacyText(bytes) ? { kind: "other-encoding" } : { kind: "binary" };
}

function utf16Encoding(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

function decodeStrictly(encoding: string, bytes: Uint8Array): string | undefined {
  try {
    // The decoder drops a byte-order mark, so the text starts with its first character.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// Control bytes other than tab, newlines, form feed and escape are rare in text of any encoding
// and common in binary formats; a sample of the start is enough to tell them apart.
const SAMPLE_BYTES = 64 * 1024;
function looksLikeLegacyText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  let control = 0;
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) control += 1;
  }
  return control / sample.length < 0.01;
}
