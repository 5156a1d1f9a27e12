import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docxWithParagraphs, pdfWithPages } from "../../test-support/file-fixtures.js";
import { createNpmProject, type NpmProject } from "../../test-support/npm-project.js";

// What `npm start` runs (and the Dockerfile copies): dist/bot.mjs, built by `npm run build:bot`,
// finds the extraction worker's own bundle beside it and reads PDFs and DOCX files with it. The
// console council (no chat platform set) attaches them with /file, reading them as a chat does.

let project: NpmProject;
beforeAll(async () => {
  project = await createNpmProject();
});
afterAll(() => project.remove());

describe("the built bot", () => {
  it("reads a PDF and a DOCX with the extraction worker bundled beside it", async () => {
    const build = project.run(["run", "-s", "build:bot"]);
    expect(await build.endedWithin(120_000)).toEqual({ code: 0, signal: null });
    expect(existsSync(join(project.dir, "dist", "extraction-worker.mjs"))).toBe(true);
    await writeFile(join(project.dir, "report.pdf"), await pdfWithPages(["First page.", "Second page."]));
    await writeFile(join(project.dir, "memo.docx"), await docxWithParagraphs(["A memo."]));

    const bot = spawn(process.execPath, [join("dist", "bot.mjs")], {
      cwd: project.dir,
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", HOME: project.dir, COUNCIL_DB: join(project.dir, "council.db"), COUNCIL_RECORD_CONSOLE: "off" },
    });
    let output = "";
    bot.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    bot.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
    bot.stdin.end("/file report.pdf\n/file memo.docx\n");
    const [code] = await once(bot, "exit");

    expect(output).toContain("Attached report.pdf (pdf, 2 pages, 1 KB)");
    expect(output).toContain("Attached memo.docx (docx, 1 KB)");
    expect(code).toBe(0);
  }, 180_000);
});
