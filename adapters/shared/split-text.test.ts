import { describe, expect, it } from "vitest";
import { splitText } from "./split-text.js";

// The checks every split must pass, written apart from the splitter so they can disagree with it.

const FENCE_LINE = /^[ \t]*(`{3,}|~{3,})(.*)$/;

/** The fence left open at the end of a chunk, if any, read as a Markdown renderer would. */
function openFenceAtEnd(chunk: string): string | undefined {
  let open: string | undefined;
  for (const raw of chunk.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const match = FENCE_LINE.exec(line);
    if (!match) continue;
    const [, fence = "", rest = ""] = match;
    // CommonMark: a backtick fence's info string holds no backtick ("```js``` …" is inline code).
    if (!open) {
      if (!(fence[0] === "`" && rest.includes("`"))) open = fence;
    } else if (fence[0] === open[0] && fence.length >= open.length && rest.trim() === "") open = undefined;
  }
  return open;
}

const ADDED_OPENER = /^(`{3,}|~{3,})[^\n`]*\n/;
const ADDED_CLOSER = /(`{3,}|~{3,})$/;

/**
 * Whether the chunks, without the fence lines the splitter added, join back into the text.
 * Each chunk may have gained an opener at its start and a closer at its end; a closer after
 * a line break could have taken the break with it or not, so every reading is followed and
 * the text must be reachable through one of them.
 */
function rejoins(text: string, chunks: string[]): boolean {
  let reachable = new Set([0]);
  for (const chunk of chunks) {
    const opener = ADDED_OPENER.exec(chunk)?.[0].length ?? 0;
    const marker = ADDED_CLOSER.exec(chunk)?.[0].length ?? 0;
    const closers = marker === 0 ? [0] : [0, marker, marker + 1];
    const readings = [0, opener].flatMap((head) => closers.map((tail) => chunk.slice(head, chunk.length - tail)));
    const next = new Set<number>();
    for (const at of reachable) for (const reading of readings) if (reading.length > 0 && text.startsWith(reading, at)) next.add(at + reading.length);
    reachable = next;
  }
  return reachable.has(text.length);
}

function expectValidSplit(text: string, maxChars: number): string[] {
  const chunks = splitText(text, maxChars);
  for (const chunk of chunks) {
    expect(chunk.length, JSON.stringify(chunk)).toBeLessThanOrEqual(maxChars);
    expect(chunk.trim(), "blank chunk").not.toBe("");
    expect(openFenceAtEnd(chunk), `fence left open in ${JSON.stringify(chunk)}`).toBeUndefined();
    expect(/[\uD800-\uDBFF]$/.test(chunk) || /^[\uDC00-\uDFFF]/.test(chunk), "split surrogate pair").toBe(false);
  }
  expect(rejoins(text, chunks), `chunks do not join back into the text: ${JSON.stringify(chunks)}`).toBe(true);
  return chunks;
}

describe("splitText: boundaries", () => {
  it("gives nothing to post for empty or blank text", () => {
    expect(splitText("", 10)).toEqual([]);
    expect(splitText(" \n\n\t ", 10)).toEqual([]);
  });

  it.each<{ name: string; text: string; max: number; chunks: string[] }>([
    { name: "short text", text: "hello", max: 10, chunks: ["hello"] },
    { name: "text exactly at the limit", text: "0123456789", max: 10, chunks: ["0123456789"] },
    { name: "one past the limit, one word", text: "0123456789a", max: 10, chunks: ["0123456789", "a"] },
    {
      name: "paragraphs, as many as fit",
      text: "First one.\n\nSecond one.\n\nThird one.",
      max: 25,
      chunks: ["First one.\n\nSecond one.\n\n", "Third one."],
    },
    {
      name: "a paragraph break before a later line break",
      text: "Intro\n\nline one\nline two\nline three",
      max: 30,
      chunks: ["Intro\n\n", "line one\nline two\nline three"],
    },
    {
      name: "lines when no paragraph break fits",
      text: "alpha beta\ngamma delta\nepsilon zeta",
      max: 24,
      chunks: ["alpha beta\ngamma delta\n", "epsilon zeta"],
    },
    {
      name: "sentences when no line break fits",
      text: "It rains. We stay in and read today",
      max: 20,
      chunks: ["It rains. ", "We stay in and read ", "today"],
    },
    {
      name: "a sentence ending in a quote or bracket",
      text: 'He said "stop." Then he left the room',
      max: 25,
      chunks: ['He said "stop." ', "Then he left the room"],
    },
    {
      name: "words when there is no sentence end",
      text: "one two three four five six",
      max: 10,
      chunks: ["one two ", "three ", "four five ", "six"],
    },
    {
      name: "inside a word only when the word alone is too long",
      text: "see https://example.com/a/very/long/path ok",
      max: 12,
      chunks: ["see ", "https://exam", "ple.com/a/ve", "ry/long/path", " ok"],
    },
    {
      name: "blank lines stay with the paragraph before, indentation with its line",
      text: "def f():\n    return 1\n\n\n    # note\n    pass",
      max: 26,
      chunks: ["def f():\n    return 1\n\n\n", "    # note\n    pass"],
    },
  ])("$name", ({ text, max, chunks }) => {
    expect(expectValidSplit(text, max)).toEqual(chunks);
  });

  it("keeps CRLF line ends whole and cuts after them", () => {
    const text = "first line\r\nsecond line\r\n\r\nnext paragraph";
    expect(expectValidSplit(text, 27)).toEqual(["first line\r\nsecond line\r\n\r\n", "next paragraph"]);
    // One unit short, the blank line no longer fits after "second line" and opens the next chunk.
    expect(expectValidSplit(text, 26)).toEqual(["first line\r\nsecond line\r\n", "\r\nnext paragraph"]);
    expect(expectValidSplit(text, 14)).toEqual(["first line\r\n", "second line\r\n", "\r\nnext ", "paragraph"]);
    // Too small for a whole line: the cut falls between words, still never between \r and \n.
    for (const chunk of expectValidSplit(text, 6)) expect(/\r$/.test(chunk) || /^\n/.test(chunk)).toBe(false);
  });

  it("never splits an emoji, not even a joined family or a flag", () => {
    expect(expectValidSplit("😀😀😀😀😀", 5)).toEqual(["😀😀", "😀😀", "😀"]);
    const family = "👨‍👩‍👧‍👦"; // 11 UTF-16 units, one character on screen
    expect(expectValidSplit(family.repeat(3), 25)).toEqual([family + family, family]);
    // A flag is two regional indicators (4 units): cutting between them would show two letters.
    expect(expectValidSplit("🇫🇷🇩🇪🇯🇵", 7)).toEqual(["🇫🇷", "🇩🇪", "🇯🇵"]);
  });

  it("cuts a cluster longer than a whole chunk between code points, never inside one", () => {
    const family = "👨‍👩‍👧‍👦";
    const chunks = expectValidSplit(family, 6);
    expect(chunks.join("")).toBe(family);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("counts a chunk exactly at the limit with its trailing paragraph break", () => {
    // "aaaa\n\n" is 6 units: at max 6 it ends the first chunk, at max 5 the break goes to the second.
    expect(expectValidSplit("aaaa\n\nbbbb", 6)).toEqual(["aaaa\n\n", "bbbb"]);
    expect(expectValidSplit("aaaa\n\nbbbb", 5)).toEqual(["aaaa\n", "\nbbbb"]);
  });

  it("drops only the pieces of a whitespace run longer than a chunk", () => {
    const text = `start${"\n".repeat(40)}end`;
    const chunks = splitText(text, 10);
    expect(chunks.every((chunk) => chunk.trim() !== "" && chunk.length <= 10)).toBe(true);
    expect(chunks.join("").replace(/\s+/g, " ")).toBe("start end");
  });

  it("rejects a limit that cannot hold a character", () => {
    expect(() => splitText("abc", 1)).toThrow(RangeError);
    expect(() => splitText("abc", 2.5)).toThrow(RangeError);
  });
});

describe("splitText: code fences", () => {
  const code = Array.from({ length: 24 }, (_, i) => `  const value${i} = compute(${i});`).join("\n");
  const text = `Here is the fix:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.`;

  it("closes and reopens a long code block with its language in every chunk", () => {
    const chunks = expectValidSplit(text, 200);
    expect(chunks).toHaveLength(6);
    expect(chunks[0]).toBe("Here is the fix:\n\n");
    // Four chunks of code, each a block of its own; the last ends with the text's own closer.
    for (const chunk of chunks.slice(1, 5)) expect(chunk.startsWith("```ts\n  const value")).toBe(true);
    for (const chunk of chunks.slice(1, 4)) expect(chunk.endsWith(");\n```")).toBe(true);
    expect(chunks[4]!.endsWith("compute(23);\n```\n\n")).toBe(true);
    expect(chunks[5]).toBe("That is all.");
    // Cuts fall between code lines, so every line keeps its indentation.
    for (const chunk of chunks) for (const line of chunk.split("\n")) if (line.includes("const")) expect(line.startsWith("  const")).toBe(true);
    expect(chunks.at(-1)!.endsWith("That is all.")).toBe(true);
  });

  it("counts the added fence lines in the limit, at every limit", () => {
    for (let max = 12; max <= 400; max += 7) expectValidSplit(text, max);
  });

  it("leaves a block that fits in one chunk whole, starting the chunk before it", () => {
    const short = "Intro paragraph here.\n\n```py\nprint(1)\n```\nAfter.";
    expect(expectValidSplit(short, 40)).toEqual(["Intro paragraph here.\n\n", "```py\nprint(1)\n```\nAfter."]);
  });

  it("reopens a tilde fence, and a fence without a language, as they were", () => {
    const tilde = expectValidSplit("~~~~\nline one\nline two\nline three\n~~~~", 28);
    expect(tilde).toEqual(["~~~~\nline one\nline two\n~~~~", "~~~~\nline three\n~~~~"]);
    const bare = expectValidSplit("```\nline one\nline two\nline three\n```", 25);
    expect(bare).toEqual(["```\nline one\nline two\n```", "```\nline three\n```"]);
  });

  it("closes a block the model never closed (a reply cut at num_predict)", () => {
    expect(splitText("```js\nlet x = 1;", 100)).toEqual(["```js\nlet x = 1;\n```"]);
    expect(expectValidSplit("Look:\n```js\nlet x = 1;\nlet y = 2;\n", 28)).toEqual(["Look:\n```js\nlet x = 1;\n```", "```js\nlet y = 2;\n```"]);
  });

  it("cuts a code line longer than a chunk and still closes the fence", () => {
    const chunks = expectValidSplit("```\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n```", 16);
    expect(chunks).toEqual(["```\nxxxxxxxx\n```", "```\nxxxxxxxx\n```", "```\nxxxxxxxx\n```", "```\nxxxxxx\n```"]);
  });

  it("does not take a fence line with an info string for a closer", () => {
    // The ```python line is content of the md block; only the bare ``` closes it.
    const text = "```md\n```python\ninside\n```\nout of the block and on";
    expect(expectValidSplit(text, 30)).toEqual(["```md\n```python\ninside\n```\n", "out of the block and on"]);
    expect(expectValidSplit(text, 24)).toEqual(["```md\n```python\n```", "```md\ninside\n```\n", "out of the block and on"]);
  });

  it("never cuts just before a marker in mid-line, where it would open a block in the next chunk", () => {
    expect(expectValidSplit("Type the marker ```` to open a block here", 20)).toEqual(["Type the ", "marker ```` to open ", "a block here"]);
    expect(expectValidSplit("Type the marker    ```` to open a block here", 20)).toEqual(["Type the ", "marker    ```` to ", "open a block here"]);
  });

  it("never cuts a line that starts like a fence where its first part would read as one", () => {
    // Inside a block, "``` foo bar baz" is content; cut after "``` ", the chunk would end on a closer.
    expect(expectValidSplit("```\n \n``` foo bar baz\n```", 18)).toEqual(["```\n \n```", "```\n``` foo \n```", "```\nbar baz\n```"]);
    expect(expectValidSplit("```\n \n``` foo bar baz\n```", 14)).toEqual(["```\n \n```", "```\n``` fo\n```", "```\no bar \n```", "```\nbaz\n```"]);
    // Outside a block, "```js```…" is inline code; cut after "```" or "```js", the chunk would open a block.
    expect(expectValidSplit("Intro\n   \n```js```abcdefghij", 10)).toEqual(["Intro\n   \n", "```js```ab", "cdefghij"]);
    expect(expectValidSplit("Intro\n   \n```js```abcdefghij", 7)).toEqual(["Intro\n", "   \n``", "`js```a", "bcdefgh", "ij"]);
    expect(expectValidSplit("```js```abcdefghij", 5)).toEqual(["``", "`js``", "`abcd", "efghi", "j"]);
    // Inside a block, "```ts" is content, and stays whole.
    expect(expectValidSplit("```md\nsee:\n```ts\nx\n```", 18)).toEqual(["```md\nsee:\n```", "```md\n```ts\nx\n```"]);
  });

  it("handles CRLF code blocks", () => {
    const crlf = "```c\r\nint a;\r\nint b;\r\nint c;\r\n```\r\n";
    expect(expectValidSplit(crlf, 25)).toEqual(["```c\r\nint a;\r\nint b;\r\n```", "```c\nint c;\r\n```\r\n"]);
  });
});

describe("splitText: generated texts", () => {
  // A small seeded generator: the same texts on every run, many shapes of them.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }
  const pieces = [
    ...["word", "longerword", "x", "end.", "why?", "a.", '"Quote."', "é", "😀", "👨‍👩‍👧‍👦", "``", "```js```"],
    ...["\n", "\r\n", "\n\n", " ", "  ", "\t", "\n- item\n"],
    ...["\n```ts\n", "\n```\n", "\n~~~\n", "\n````\n", "\n    ```py\n", "\n  ```\n"],
    `https://example.com/${"p".repeat(40)}`,
  ];

  it("keeps every guarantee across 1,000 texts and limits", () => {
    const next = random(42);
    let checked = 0;
    for (let n = 0; n < 1000; n++) {
      let text = "";
      const length = Math.floor(next() * 150);
      for (let i = 0; i < length; i++) {
        text += pieces[Math.floor(next() * pieces.length)]!;
        if (next() < 0.7) text += " ";
      }
      // Below ~30 units a fence line and its repair no longer fit in a chunk (no platform is near).
      const max = 30 + Math.floor(next() * 300);
      // Blank text and a whitespace run as long as a chunk are the documented exceptions.
      if (text.trim() === "" || /\s{30,}/.test(text)) continue;
      expectValidSplit(text, max);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(900);
  });
});
