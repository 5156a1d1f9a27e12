// Long model text (full answers, the chairman's answer, critiques) cut into messages of at
// most `maxChars` (Discord content 2000, an embed description 4096, a Slack section 3000).
// A cut is made at the strongest boundary that fits: between paragraphs, else between lines,
// else after a sentence, else between words, and inside a word only when one word alone is
// longer than a message, and then never inside a character (emoji, CRLF: grapheme clusters).
// A cut inside a fenced code block closes the fence at the end of the chunk and reopens it,
// with the same language, at the start of the next, so every chunk renders as it should;
// those added fence lines count toward the limit. Fences are read as CommonMark reads them
// (``` or ~~~ at the start of a line), and no cut may make one the text did not have.
//
// Guarantees: no chunk is longer than maxChars (lengths in UTF-16 units, which never
// undercount the platforms' characters); no chunk is blank; no chunk leaves a fence open;
// and the chunks, without the fence lines added, join back into the text. The exceptions need
// a chunk smaller than a few lines, or text no model writes on purpose: blank text gives no
// chunks; a run of whitespace outside code that fills a whole chunk on its own (newlines from
// a looping model) loses the pieces that hold nothing else; and a fence line (or a line that
// starts like one) longer than the room in a chunk is cut like any other word.

export function splitText(text: string, maxChars: number): string[] {
  // Two units: room for any one character, an emoji's surrogate pair included.
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError(`maxChars must be an integer ≥ 2, got ${maxChars}`);
  if (text.trim() === "") return [];
  const doc = analyse(text, maxChars);
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = fits(doc, start, text.length) ? text.length : (bestCut(doc, start) ?? hardCut(doc, start));
    const chunk = prefixAt(doc, start) + text.slice(start, end) + suffixAt(doc, end);
    // Only a whitespace run that fills a chunk on its own can leave a piece with nothing
    // visible; a platform refuses a blank message. Inside a code block the fence lines make it
    // visible, and the whitespace (indentation) matters, so it stays.
    if (chunk.trim() !== "") chunks.push(chunk);
    start = end;
  }
  return chunks;
}

/** A fenced code block: ``` or ~~~, with its info string (the language). */
interface Fence {
  /** Index of the opening line's first character. */
  openStart: number;
  /** Index just after the opening line's newline: where the body starts. */
  openEnd: number;
  /** Index of the closing line's first character; Infinity when the text never closes it. */
  closeStart: number;
  /** Index just after the closing line (and its newline). */
  closeEnd: number;
  /** The line that reopens the block in the next chunk. */
  reopen: string;
  /** The marker that closes it: the same character, as many times as the opener used. */
  marker: string;
}

// How good a cut is, weakest first; a Uint8Array holds one per index.
const Strength = { None: 0, Word: 1, Sentence: 2, Line: 3, Paragraph: 4 } as const;

interface Doc {
  text: string;
  maxChars: number;
  fences: Fence[];
  /** The boundary strength of a cut just before index i. */
  strength: Uint8Array;
  /** The fence whose body contains index i (a cut there must close and reopen it), else -1. */
  fenceAt: Int32Array;
  /** Cuts that would break a fence line, leave a block empty, or start a fence the text did not have. */
  forbidden: Uint8Array;
  /** The first index ≥ i holding a non-whitespace character (text.length if none). */
  nextVisible: Int32Array;
}

function analyse(text: string, maxChars: number): Doc {
  const length = text.length;
  const strength = new Uint8Array(length + 1);
  const fenceAt = new Int32Array(length + 1).fill(-1);
  const forbidden = new Uint8Array(length + 1);
  const nextVisible = new Int32Array(length + 1);
  nextVisible[length] = length;
  for (let i = length - 1; i >= 0; i--) nextVisible[i] = isSpace(text.charCodeAt(i)) ? nextVisible[i + 1]! : i;

  const fences = findFences(text, maxChars);
  const inBody = new Uint8Array(length + 1);
  fences.forEach((fence, index) => {
    inBody.fill(1, fence.openEnd, Math.min(fence.closeStart, length + 1));
    for (let i = fence.openStart + 1; i <= fence.openEnd && i <= length; i++) forbidden[i] = 1;
    for (let i = fence.closeStart; i < fence.closeEnd && i <= length; i++) forbidden[i] = 1;
    // A body cut leaves the block open at the end of a chunk; so does the end of a block the text never closes.
    for (let i = fence.openEnd + 1; i < Math.min(fence.closeStart, length + 1); i++) fenceAt[i] = index;
    if (fence.closeStart === Infinity) fenceAt[length] = index;
  });

  let lineStart = 0;
  let previousLineBlank = false;
  while (lineStart < length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? length : newline;
    const blank = nextVisible[lineStart]! >= lineEnd;
    forbidFencePrefixes(text, lineStart, lineEnd, inBody[lineStart] === 1, forbidden);
    // A line start is a paragraph boundary when it opens the first non-blank line after a
    // blank one; the blank lines stay at the end of the chunk before, the indentation with its line.
    if (lineStart > 0) strength[lineStart] = previousLineBlank && !blank ? Strength.Paragraph : Strength.Line;
    for (let i = lineStart + 1; i < lineEnd; i++) {
      if (isBlankInLine(text.charCodeAt(i - 1)) && !isSpace(text.charCodeAt(i))) {
        strength[i] = endsSentence(text, i - 1) ? Strength.Sentence : Strength.Word;
      }
    }
    previousLineBlank = blank;
    lineStart = lineEnd + 1;
  }
  // A chunk cut mid-line starts a line where the text had none: cut just before "```" (or
  // before the spaces ahead of it) and the fragment reads as a fence in the next chunk.
  for (let i = 0; i + 3 <= length; i++) {
    if (!text.startsWith("```", i) && !text.startsWith("~~~", i)) continue;
    for (let j = i; j >= 0; j--) {
      if (j > 0 && text[j - 1] !== "\n") forbidden[j] = 1;
      if (j === 0 || !isBlankInLine(text.charCodeAt(j - 1))) break;
    }
  }
  for (let i = 0; i <= length; i++) if (forbidden[i]) strength[i] = Strength.None;
  return { text, maxChars, fences, strength, fenceAt, forbidden, nextVisible };
}

const FENCE_START = /^([ \t]*)(`{3,}|~{3,})([ \t]*)/;

/**
 * A line that starts like a fence but is not one (a "``` note" line inside a block, an
 * inline "```js```" outside) must not end a chunk cut short where its start would read as a
 * fence: a bare "```" closes the block (or opens one), and outside a block "```js" opens one.
 */
function forbidFencePrefixes(text: string, lineStart: number, lineEnd: number, inBody: boolean, forbidden: Uint8Array): void {
  const match = FENCE_START.exec(text.slice(lineStart, Math.min(lineEnd, lineStart + 256)));
  if (!match) return;
  const [whole, indent = "", run = ""] = match;
  const from = lineStart + indent.length + 3;
  let to = lineStart + whole.length;
  if (!inBody && run.startsWith("`")) {
    // Outside a block, "```js" is an opener until the info string holds a backtick.
    const backtick = text.indexOf("`", to);
    to = backtick === -1 || backtick > lineEnd ? lineEnd : backtick;
  }
  forbidden.fill(1, from, Math.min(to, lineEnd) + 1);
}

const OPENER = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const CLOSER = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

function findFences(text: string, maxChars: number): Fence[] {
  const fences: Fence[] = [];
  let open: { openStart: number; openEnd: number; fence: string; info: string } | undefined;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    if (!open) {
      const match = OPENER.exec(line);
      const fence = match?.[1];
      const info = (match?.[2] ?? "").trim();
      // A backtick fence's info string cannot hold a backtick (CommonMark): "```js```" is inline.
      if (fence && !(fence.startsWith("`") && info.includes("`"))) open = { openStart: lineStart, openEnd: next, fence, info };
    } else {
      const fence = CLOSER.exec(line)?.[1];
      if (fence && fence[0] === open.fence[0] && fence.length >= open.fence.length) {
        fences.push(fenceOf(open, lineStart, next));
        open = undefined;
      }
    }
    lineStart = next;
  }
  if (open) fences.push(fenceOf(open, Infinity, Infinity));
  // A block is repaired only if every chunk of it has room for a character (two units)
  // beside its fence lines: the first holds the original opening line and an added closer,
  // a middle one both added lines, the last an added opener and the original closing line.
  // Otherwise its lines stay plain text (only with limits far below any platform's).
  return fences.filter((fence) => {
    const closer = 1 + fence.marker.length;
    const room = maxChars - 2;
    return (
      fence.reopen.length + closer <= room &&
      fence.openEnd - fence.openStart + closer <= room &&
      (fence.closeStart === Infinity || fence.reopen.length + fence.closeEnd - fence.closeStart <= room)
    );
  });
}

function fenceOf(open: { openStart: number; openEnd: number; fence: string; info: string }, closeStart: number, closeEnd: number): Fence {
  return { openStart: open.openStart, openEnd: open.openEnd, closeStart, closeEnd, reopen: `${open.fence}${open.info}\n`, marker: open.fence };
}

function prefixAt(doc: Doc, start: number): string {
  return doc.fences[doc.fenceAt[start]!]?.reopen ?? "";
}

function suffixAt(doc: Doc, end: number): string {
  const fence = doc.fences[doc.fenceAt[end]!];
  if (!fence) return "";
  return doc.text[end - 1] === "\n" ? fence.marker : `\n${fence.marker}`;
}

function fits(doc: Doc, start: number, end: number): boolean {
  return prefixAt(doc, start).length + (end - start) + suffixAt(doc, end).length <= doc.maxChars;
}

/** The farthest cut of the strongest kind that fits and leaves something visible on both sides. */
function bestCut(doc: Doc, start: number): number | undefined {
  const { text, strength, nextVisible } = doc;
  const best: (number | undefined)[] = [];
  const last = Math.min(text.length - 1, start + doc.maxChars - prefixAt(doc, start).length);
  for (let cut = last; cut > start; cut--) {
    const kind = strength[cut]!;
    if (kind === Strength.None || best[kind] !== undefined) continue;
    if (nextVisible[start]! >= cut || nextVisible[cut]! >= text.length || !fits(doc, start, cut)) continue;
    best[kind] = cut;
    if (kind === Strength.Paragraph) break;
  }
  for (let kind = Strength.Paragraph; kind >= Strength.Word; kind--) if (best[kind] !== undefined) return best[kind];
  return undefined;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
// Segmenting past the window keeps its last boundary honest; a cluster longer than this is
// combining-mark noise, where a slightly wrong boundary does no harm.
const CLUSTER_LOOKAHEAD = 64;

/** No boundary fits: as much as fits, cut between characters (grapheme clusters). */
function hardCut(doc: Doc, start: number): number {
  const { text } = doc;
  const last = Math.min(text.length, start + doc.maxChars - prefixAt(doc, start).length);
  let cut: number | undefined;
  for (const { index } of graphemes.segment(text.slice(start, last + CLUSTER_LOOKAHEAD))) {
    const at = start + index;
    if (at > last) break;
    if (at > start && !doc.forbidden[at] && fits(doc, start, at)) cut = at;
  }
  if (cut !== undefined) return cut;
  // One grapheme cluster longer than the room (a long ZWJ sequence, a tiny limit): as many
  // code points as fit, so at least a surrogate pair is never split. One always fits, since
  // maxChars ≥ 2 and fences are only repaired when they leave room for two units.
  let end = start + codePointLength(text, start);
  while (end < last && fits(doc, start, end + codePointLength(text, end))) end += codePointLength(text, end);
  return end;
}

function codePointLength(text: string, at: number): number {
  return text.codePointAt(at)! > 0xffff ? 2 : 1;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 0xa0 || code === 0x3000 || code === 0xfeff || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x1680 || code === 0x85;
}

function isBlankInLine(code: number): boolean {
  return code === 32 || code === 9;
}

const CLOSING = new Set([`"`, "'", ")", "]", "}", "»", "”", "’", "*", "_", "`"]);
const SENTENCE_END = new Set([".", "!", "?", "…"]);

/** Whether the space run ending at `space` follows the end of a sentence ("done." "really?)" …). */
function endsSentence(text: string, space: number): boolean {
  let i = space;
  while (i >= 0 && isBlankInLine(text.charCodeAt(i))) i--;
  while (i >= 0 && CLOSING.has(text[i]!)) i--;
  return i >= 0 && SENTENCE_END.has(text[i]!);
}
