// Text measured and laid out for a terminal. Numbers, durations and control characters are
// handled in adapters/shared/text.ts, the same for every front end.

import { printable } from "../shared/text.js";

export { formatCount, formatDuration, formatTokens, oneLine, printable } from "../shared/text.js";

// Terminal columns per code point: emoji and East Asian wide characters take two, combining
// marks and joiners none. Over-counting an emoji sequence is harmless (the line is shorter
// than it could be); under-counting would make it wrap and break the redraw.
const WIDE = /\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]/u;

function charWidth(char: string): number {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Cuts one line to `width` columns, ending it with "…" when something was cut. */
export function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  return `${headWithin(text, width - 1)}…`;
}

/** The longest start of `text` within `width` columns. */
function headWithin(text: string, width: number): string {
  let kept = "";
  let used = 0;
  for (const char of text) {
    used += charWidth(char);
    if (used > width) break;
    kept += char;
  }
  return kept;
}

/** The end of one line within `width` columns, starting with "…" when the start was cut: a preview of the last words. */
export function fitTail(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  const chars = [...text];
  let kept = "";
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i] as string;
    const w = charWidth(char);
    if (used + w > width - 1) break;
    kept = char + kept;
    used += w;
  }
  return `…${kept.trimStart()}`;
}

export function padToWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Word-wraps text (newlines kept) so that no line is wider than `width`; words longer than a line are broken. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of printable(text).split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const candidate = line === "" ? word : `${line} ${word}`;
      if (displayWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line !== "") lines.push(line);
      line = word;
      while (displayWidth(line) > width) {
        // At least one character per line, or a wide character in a 1-column width never ends.
        const head = headWithin(line, width) || String.fromCodePoint(line.codePointAt(0) ?? 32);
        lines.push(head);
        line = line.slice(head.length);
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Packs segments into lines of at most `width` columns, breaking only between segments. */
export function flow(segments: readonly string[], width: number, separator = " · "): string[] {
  const lines: string[] = [];
  let line = "";
  for (const segment of segments) {
    const candidate = line === "" ? segment : `${line}${separator}${segment}`;
    if (line !== "" && displayWidth(candidate) > width) {
      lines.push(line);
      line = segment;
    } else {
      line = candidate;
    }
  }
  if (line !== "") lines.push(line);
  return lines.map((each) => fitWidth(each, width));
}
