/** A document's text within FILE_MAX_CHARS, and how much of it was kept. */
export interface KeptText {
  text: string;
  total: number;
  used: number;
}

// The start holds a table's header, a document's title and first pages; the end holds the error
// a log ends on. So a long text keeps both, three quarters from the start, and says what it left out.
const HEAD_SHARE = 3 / 4;
const leftOutLine = (left: number) => `\n\n[… ${left} characters left out here …]\n\n`;

export function keepCharacters(text: string, max: number): KeptText {
  if (text.length <= max) return { text, total: text.length, used: text.length };
  let headEnd = Math.floor(max * HEAD_SHARE);
  let tailStart = text.length - (max - headEnd);
  // Never split a character that takes two UTF-16 units (an emoji, a rare CJK character).
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd -= 1;
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart += 1;
  const head = text.slice(0, headEnd);
  const tail = text.slice(tailStart);
  return {
    text: `${head}${leftOutLine(text.length - head.length - tail.length)}${tail}`,
    total: text.length,
    used: head.length + tail.length,
  };
}

/**
 * The longest text keepCharacters gives for `max`: `max` characters and the line saying what was
 * left out, counted for a text longer than any string can be. What reads a kept text from elsewhere
 * (an extraction thread's reply) refuses a longer one.
 */
export function keptLengthAtMost(max: number): number {
  return max + leftOutLine(Number.MAX_SAFE_INTEGER).length;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
