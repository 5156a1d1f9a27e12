import { EventEmitter } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { png } from "../../test-support/file-fixtures.js";
import { chatsSince } from "../../test-support/model-chats.js";
import { FILE_TEST_COUNCIL, IMAGE_DESCRIPTION, SEEING_MODEL, startTestCouncil } from "../../test-support/test-council.js";
import { openCouncilRecorder } from "../../src/council-recorder.js";
import { captureOutput } from "./capture-output.js";
import { EXIT, runCli } from "./cli.js";
import { runConsole } from "./interactive.js";

// Files in the terminal: `--file PATH` on the command line and `/file PATH` in the console,
// read from disk with the FILE_* limits and put before the real engine in front of the fake
// Ollama; a path that cannot be read or a file refused is said, and nothing runs.

const NOTE = "The launch code is PURPLE-OTTER-42.\n";
const MAX_BYTES = 64 * 1024;

let dir = "";
const paths = { note: "", image: "", big: "", binary: "" };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "council-files-"));
  const write = async (name: string, data: string | Uint8Array) => {
    const path = join(dir, name);
    await writeFile(path, data);
    return path;
  };
  paths.note = await write("note.txt", NOTE);
  paths.image = await write("square.png", png(8, 8));
  paths.big = await write("big.txt", "x".repeat(MAX_BYTES + 1));
  paths.binary = await write("data.bin", new Uint8Array([0, 1, 2, 3, 0, 255, 0, 7]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let council: Awaited<ReturnType<typeof startTestCouncil>> | undefined;
afterEach(async () => {
  await council?.close();
  council = undefined;
});

async function run(argv: string[], recordIn?: string) {
  council = await startTestCouncil({ ...FILE_TEST_COUNCIL, env: { FILE_MAX_BYTES: String(MAX_BYTES) } });
  const stdout = captureOutput();
  const stderr = captureOutput();
  const openRecorder = recordIn === undefined ? undefined : () => openCouncilRecorder(recordIn, "ann", pino({ enabled: false }));
  const code = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream, openCore: council.openCore, ...(openRecorder && { openRecorder }) });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text(), chats: chatsSince(council.fake) };
}

describe("npm run council -- --file", () => {
  it("puts each file in every member's prompt and the chairman's", async () => {
    const { code, stderr, chats } = await run(["What does the note say?", "--preset", "pair", "--file", paths.note, "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.answered);
    for (const model of ["member-a", "member-b", "chair"]) {
      expect(chats.some((chat) => chat.model === model && chat.prompt.includes("PURPLE-OTTER-42")), model).toBe(true);
    }
  });

  it("records the council's files with it, and the image's description, never the image's bytes", async () => {
    const path = join(dir, "council.db");
    const { code } = await run(["What is in the picture?", "--preset", "sight", "--file", paths.image, "--file", paths.note, "--json"], path);
    expect(code).toBe(EXIT.answered);
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare("SELECT kind, name, type, text, description FROM council_files ORDER BY position").all();
      expect(rows).toEqual([
        { kind: "image", name: "square.png", type: "png", text: null, description: IMAGE_DESCRIPTION },
        { kind: "document", name: "note.txt", type: "text", text: NOTE, description: null },
      ]);
    } finally {
      db.close();
    }
  });

  it("sends an image to the member that can see and its description to the other", async () => {
    const { code, chats } = await run(["What is in the picture?", "--preset", "sight", "--file", paths.image, "--file", paths.note, "--json"]);
    expect(code).toBe(EXIT.answered);
    expect(chats.some((chat) => chat.model === SEEING_MODEL && chat.images.length === 1)).toBe(true);
    const blind = chats.filter((chat) => chat.model === "member-a");
    for (const chat of blind) expect(chat.images).toEqual([]);
    expect(blind[0]?.prompt).toContain(IMAGE_DESCRIPTION);
    expect(blind[0]?.prompt).toContain("PURPLE-OTTER-42");
  });

  it.each([
    ["a path where there is no file", () => join(dir, "missing.txt"), /missing\.txt.*no such file/],
    ["a folder", () => dir, /is a folder/],
    ["a file too large", () => paths.big, /big\.txt.*at most/],
    ["a file of a kind it does not read", () => paths.binary, /data\.bin/],
    ["an image with no member that can see", () => paths.image, /see|vision|image/i],
  ])("refuses %s with exit 2, and asks no model", async (_what, path, message) => {
    const { code, stderr, chats } = await run(["What is this?", "--preset", "pair", "--file", path()]);
    expect(code).toBe(EXIT.badInput);
    expect(stderr).toMatch(message);
    expect(chats).toEqual([]);
  });

  it("refuses more files than FILE_MAX_COUNT before reading any", async () => {
    const { code, stderr, chats } = await run(["Why?", "--preset", "pair", ...["a", "b", "c", "d"].flatMap((name) => ["--file", join(dir, `${name}-missing.txt`)])]);
    expect(code).toBe(EXIT.badInput);
    expect(stderr).toMatch(/4 files.*at most 3/);
    expect(chats).toEqual([]);
  });
});

describe("/file in the console", () => {
  async function converse(lines: string[]) {
    council = await startTestCouncil({ ...FILE_TEST_COUNCIL, env: { FILE_MAX_BYTES: String(MAX_BYTES) } });
    const output = captureOutput();
    await runConsole(council.openCore(), { input: Readable.from(lines.map((line) => `${line}\n`)), output: output.stream, interrupts: new EventEmitter() });
    await new Promise((resolve) => setImmediate(resolve));
    return { text: output.text(), chats: chatsSince(council.fake) };
  }

  it("attaches a file to the next question and its follow-ups, says so and lists the files, until /new", async () => {
    const { text, chats } = await converse([`/file ${paths.note}`, "What does the note say?", "And the code again?", "/new", "Something else?"]);
    expect(text).toContain("Attached note.txt (text, 1 KB); it goes with your next question and its follow-ups.");
    expect(text).toContain("Files in this conversation: note.txt");
    const asked = chats.filter((chat) => chat.model === "member-a" && !chat.prompt.includes('"ranking"'));
    const withNote = (question: string) => asked.some((chat) => chat.prompt.includes(question) && chat.prompt.includes("PURPLE-OTTER-42"));
    expect(withNote("What does the note say?")).toBe(true);
    expect(withNote("And the code again?")).toBe(true);
    expect(asked.some((chat) => chat.prompt.includes("Something else?"))).toBe(true);
    expect(withNote("Something else?")).toBe(false);
  });

  it("says why a file cannot be attached, and attaches nothing", async () => {
    const { text, chats } = await converse([`/file ${join(dir, "missing.txt")}`, `/file ${paths.big}`, "/file", "Why?"]);
    expect(text).toMatch(/missing\.txt.*no such file/);
    expect(text).toMatch(/big\.txt.*at most/);
    expect(text).toContain("Name the file to attach: /file PATH");
    expect(text).not.toContain("Files in this conversation");
    expect(chats.some((chat) => chat.prompt.includes("<document"))).toBe(false);
  });
});
