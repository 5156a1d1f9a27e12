import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { docxWithParagraphs, pdfWithPages } from "../../test-support/file-fixtures.js";
import { botExtraction, createExtractionWorkers, type ExtractionWorkers } from "./extraction-workers.js";
import { FileRefusedError } from "./file-refused-error.js";
import { keepCharacters } from "./keep-characters.js";
import { readAttachment } from "./read-attachment.js";

// The extraction threads really run: worker threads with pdf.js and mammoth, or, where a test
// needs a reader that spins, dies or talks nonsense, the misbehaving worker of test-support.

const MISBEHAVING = fileURLToPath(new URL("../../test-support/misbehaving-extraction-worker.ts", import.meta.url));

let workers: ExtractionWorkers | undefined;
afterEach(() => workers?.close());

// The files the misbehaving reader waits for.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-extraction-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
/** A file the misbehaving reader holds its thread for until `flag` exists in the test's folder. */
const waitingFile = (flag: string) => ({ type: "docx" as const, name: `wait-for:${join(dir, flag)}`, bytes: new Uint8Array([1]) });
const letGo = (flag: string) => writeFile(join(dir, flag), "");

const gone = (reader: ExtractionWorkers) => expect.poll(() => reader.threadIds(), { timeout: 10_000 }).toEqual([]);

async function refusalOf(reading: Promise<unknown>): Promise<FileRefusedError> {
  const error = await reading.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileRefusedError);
  return error as FileRefusedError;
}

describe("the extraction threads", () => {
  it("read a PDF and a DOCX on a thread of their own, which reads the next file too and ends when idle; the caller's bytes stay whole", async () => {
    workers = createExtractionWorkers({ idleMs: 300 });
    expect(workers.threadIds()).toEqual([]);
    const pdf = await pdfWithPages(["one", "two"]);
    const reading = workers.read({ type: "pdf", name: "two.pdf", bytes: pdf, maxPages: 10 });
    const [reader] = workers.threadIds();
    expect(reader).not.toBe(threadId);
    expect(await reading).toEqual({ pages: 2, text: "--- page 1 ---\none\n\n--- page 2 ---\ntwo" });
    // Transferred was a copy: the caller's buffer is not detached.
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect((await workers.read({ type: "docx", name: "memo.docx", bytes: await docxWithParagraphs(["Memo."]) })).text.trim()).toBe("Memo.");
    expect(workers.threadIds()).toEqual([reader]);
    await gone(workers);
  }, 30_000);

  it("keep the bot's thread free while a reader holds its own: timers fire on it until the read is done", async () => {
    workers = createExtractionWorkers({ script: MISBEHAVING });
    const events: string[] = [];
    const reading = workers.read(waitingFile("ticked")).then((read) => events.push(read.text));
    // The reader's thread spins until the third tick of this thread lets it go: were the reading on
    // this thread, no tick would ever come and the read would never end.
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
      events.push(`tick ${ticks}`);
      if (ticks < 3) return;
      clearInterval(ticker);
      void letGo("ticked");
    }, 20);
    await reading;
    expect(events).toEqual(["tick 1", "tick 2", "tick 3", "read after waiting"]);
  }, 30_000);

  it("terminate a reader that is past its time, even one that never yields, and refuse its file as too slow; the next file gets a fresh thread", async () => {
    workers = createExtractionWorkers({ script: MISBEHAVING, limitMs: 200 });
    const stuck = workers.read({ ...waitingFile("never"), name: "stuck.docx" });
    const [spinning] = workers.threadIds();
    const refusal = await refusalOf(stuck);
    expect(refusal).toMatchObject({ kind: "too-slow", fileName: "stuck.docx" });
    expect(refusal.message).toBe('"stuck.docx" took more than 0 s to read, so the council stopped reading it. Send the pages that matter, or its text.');
    expect(workers.threadIds()).not.toContain(spinning);
    await letGo("after");
    // A longer bound of its own: a fresh thread's start (a few hundred milliseconds under tsx) counts in it.
    expect(await workers.read(waitingFile("after"), 10_000)).toEqual({ text: "read after waiting" });
    expect(workers.threadIds()).not.toContain(spinning);
  }, 30_000);

  it("bound a DOCX's time as a PDF's", async () => {
    workers = createExtractionWorkers({ limitMs: 0 });
    const refusal = await refusalOf(workers.read({ type: "docx", name: "notes.docx", bytes: await docxWithParagraphs(["Slow enough."]) }));
    expect(refusal).toMatchObject({ kind: "too-slow", fileName: "notes.docx" });
  }, 30_000);

  it("refuse a document whose reader runs out of its memory, and read the next one", async () => {
    workers = createExtractionWorkers({ memoryMb: 32 });
    // About 3.7 million characters: mammoth needs about 96 MB of heap for their tree.
    const paragraphs = Array.from({ length: 20_000 }, (_, n) => `Paragraph ${n}: the quarterly figures for every region rose on the previous period, and more so in the north.`.repeat(2));
    const refusal = await refusalOf(workers.read({ type: "docx", name: "book.docx", bytes: await docxWithParagraphs(paragraphs) }));
    expect(refusal).toMatchObject({ kind: "too-much-memory", fileName: "book.docx" });
    expect(refusal.message).toBe('"book.docx" needs more than 32 MB of memory to read, more than a document may take, so the council stopped reading it. Send the pages that matter, or its text.');
    expect((await workers.read({ type: "docx", name: "memo.docx", bytes: await docxWithParagraphs(["Memo."]) })).text.trim()).toBe("Memo.");
  }, 60_000);

  it("refuse a file whose reader crashes or answers nonsense, saying so, and read the next one", async () => {
    workers = createExtractionWorkers({ script: MISBEHAVING });
    const crashed = await refusalOf(workers.read({ type: "pdf", name: "crash", bytes: new Uint8Array([1]), maxPages: 10 }));
    expect(crashed).toMatchObject({ kind: "reader-failed", fileName: "crash" });
    expect(crashed.message).toBe(
      '"crash" could not be read: the PDF reader stopped on it (the reader tripped over its own feet). Send it again as a new PDF (print it to PDF), or send its text.',
    );
    const nonsense = await refusalOf(workers.read({ type: "docx", name: "garbage", bytes: new Uint8Array([1]) }));
    expect(nonsense).toMatchObject({ kind: "reader-failed", fileName: "garbage" });
    expect(nonsense.message).toMatch(/^"garbage" could not be read: the Word reader stopped on it \(a reply that does not check out/);
    await letGo("next");
    expect(await workers.read(waitingFile("next"))).toEqual({ text: "read after waiting" });
  }, 30_000);

  it("send back only what they keep of a long text when asked a number of characters, with the whole text's count", async () => {
    workers = createExtractionWorkers();
    const docx = await docxWithParagraphs(Array.from({ length: 500 }, (_, n) => `Paragraph ${n}: the quarterly figures rose.`));
    const whole = await workers.read({ type: "docx", name: "long.docx", bytes: docx });
    expect(whole.text.length).toBeGreaterThan(10_000);
    const kept = await workers.read({ type: "docx", name: "long.docx", bytes: docx, maxCharacters: 1000 });
    expect(kept).toEqual({ text: keepCharacters(whole.text, 1000).text, characters: { total: whole.text.length, used: 1000 }, blank: false });
    expect(kept.text).toMatch(/^Paragraph 0: [^]*characters left out here[^]*Paragraph 499: the quarterly figures rose\.\n\n$/);

    const pdf = await pdfWithPages(Array.from({ length: 30 }, (_, n) => `Page ${n + 1} of the report.`));
    const wholePdf = await workers.read({ type: "pdf", name: "long.pdf", bytes: pdf, maxPages: 50 });
    const keptPdf = await workers.read({ type: "pdf", name: "long.pdf", bytes: pdf, maxPages: 50, maxCharacters: 200 });
    expect(keptPdf).toEqual({ pages: 30, text: keepCharacters(wholePdf.text, 200).text, characters: { total: wholePdf.text.length, used: 200 }, blank: false });
    // A short text comes back whole, counted.
    expect(await workers.read({ type: "pdf", name: "long.pdf", bytes: pdf, maxPages: 50, maxCharacters: 100_000 })).toEqual({
      pages: 30,
      text: wholePdf.text,
      characters: { total: wholePdf.text.length, used: wholePdf.text.length },
      blank: false,
    });
  }, 30_000);

  it("say a long text of nothing but whitespace is blank, though what they keep of it holds the line saying what was left out", async () => {
    workers = createExtractionWorkers();
    const kept = await workers.read({ type: "docx", name: "blank.docx", bytes: await docxWithParagraphs(Array.from({ length: 2000 }, () => "   ")), maxCharacters: 1000 });
    expect(kept.characters?.total).toBeGreaterThan(1000);
    expect(kept.text).toContain("characters left out here");
    expect(kept.blank).toBe(true);
  }, 30_000);

  it("refuse a file whose reader sends back more than it was asked to keep, counts it wrong, or leaves out the counts asked for", async () => {
    workers = createExtractionWorkers({ script: MISBEHAVING });
    const tooLong = await refusalOf(workers.read({ type: "docx", name: "too-long", bytes: new Uint8Array([1]), maxCharacters: 1000 }));
    expect(tooLong).toMatchObject({ kind: "reader-failed", fileName: "too-long" });
    expect(tooLong.message).toBe(
      '"too-long" could not be read: the Word reader stopped on it (a reply that does not check out (a text longer than the 1000 characters asked for)). Send it again as a PDF, or send its text.',
    );
    const miscounted = await refusalOf(workers.read({ type: "pdf", name: "miscounted", bytes: new Uint8Array([1]), maxPages: 10, maxCharacters: 1000 }));
    expect(miscounted).toMatchObject({ kind: "reader-failed", fileName: "miscounted" });
    expect(miscounted.message).toContain("(a reply that does not check out (more characters kept than the text has))");
    // This reader answers with a text alone: without the counts asked for, the reply is broken.
    await letGo("uncounted");
    const uncounted = await refusalOf(workers.read({ ...waitingFile("uncounted"), maxCharacters: 1000 }));
    expect(uncounted).toMatchObject({ kind: "reader-failed" });
    expect(uncounted.message).toContain("a reply that does not check out");
  }, 30_000);

  it("refuse each file, and keep none waiting, when a thread cannot even start", async () => {
    // A worker path that is neither absolute nor ./-relative: new Worker throws before any thread exists.
    workers = createExtractionWorkers({ script: "not-a-path.mjs" });
    for (const name of ["first.pdf", "second.pdf"]) {
      const refused = await refusalOf(workers.read({ type: "pdf", name, bytes: new Uint8Array([1]), maxPages: 10 }));
      expect(refused).toMatchObject({ kind: "reader-failed", fileName: name });
      expect(refused.message).toMatch(new RegExp(`^"${name}" was not read: the bot's document reader could not start \\(.*not-a-path\\.mjs.*\\)\\. The file is not at fault`));
    }
    expect(workers.threadIds()).toEqual([]);
  });

  it("read at most maxThreads files at once; the others wait their turn", async () => {
    workers = createExtractionWorkers({ script: MISBEHAVING, maxThreads: 1 });
    const order: string[] = [];
    const first = workers.read(waitingFile("first")).then(() => order.push("first"));
    const second = workers.read(waitingFile("second")).then(() => order.push("second"));
    expect(workers.threadIds()).toHaveLength(1);
    // The second may go first, but it is not being read yet: it waits for the only thread.
    await letGo("second");
    await letGo("first");
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(workers.threadIds()).toHaveLength(1);
  }, 30_000);

  it("refuse what they are reading and what waits when closed, as the bot is stopping, and end their threads", async () => {
    workers = createExtractionWorkers({ script: MISBEHAVING, maxThreads: 1 });
    const reading = workers.read(waitingFile("never"));
    const waiting = workers.read({ type: "pdf", name: "next.pdf", bytes: new Uint8Array([1]), maxPages: 10 });
    workers.close();
    for (const refused of [await refusalOf(reading), await refusalOf(waiting)]) {
      expect(refused).toMatchObject({ kind: "reader-failed" });
      expect(refused.message).toMatch(/was not read: the bot is stopping\. Send it again in a minute\.$/);
    }
    expect(workers.threadIds()).toEqual([]);
  }, 30_000);

  it("do not keep a process alive once its files are read, though the thread would wait a minute for the next", async () => {
    const script = [
      `import { createExtractionWorkers } from ${JSON.stringify(fileURLToPath(new URL("./extraction-workers.ts", import.meta.url)))};`,
      `import { docxWithParagraphs } from ${JSON.stringify(fileURLToPath(new URL("../../test-support/file-fixtures.ts", import.meta.url)))};`,
      "const workers = createExtractionWorkers({ idleMs: 60_000 });",
      `const read = await workers.read({ type: "docx", name: "memo.docx", bytes: await docxWithParagraphs(["Memo."]) });`,
      "console.log(read.text.trim(), workers.threadIds().length);",
    ].join("\n");
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    const [code] = await once(child, "exit");
    expect(output).toBe("Memo. 1\n");
    expect(code).toBe(0);
  }, 30_000);
});

describe("the bot's files", () => {
  it("are read on the bot's extraction threads when they are PDFs or DOCX files", async () => {
    const limits = { maxFiles: 3, maxFileBytes: 1024 * 1024, maxPdfPages: 10, maxCharacters: 10_000, maxImagePixels: 1_000_000 };
    botExtraction.close();
    expect(botExtraction.threadIds()).toEqual([]);
    expect(await readAttachment("two.pdf", await pdfWithPages(["one", "two"]), limits)).toMatchObject({ kind: "document", type: "pdf", pages: 2 });
    // The thread that read it waits for the next file.
    expect(botExtraction.threadIds()).toHaveLength(1);
    botExtraction.close();
    expect(await readAttachment("memo.docx", await docxWithParagraphs(["Memo."]), limits)).toMatchObject({ kind: "document", type: "docx" });
    expect(botExtraction.threadIds()).toHaveLength(1);
    botExtraction.close();
  }, 30_000);
});
