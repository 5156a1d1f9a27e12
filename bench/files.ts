import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { docxWithParagraphs, pdfWithPages, png } from "../test-support/file-fixtures.js";
import { createSeededRandom } from "../src/insights/seeded-random.js";
import type { FileLimits } from "../src/files/file-limits.js";
import { readAttachment } from "../src/files/read-attachment.js";
import { printTable } from "./stats.js";

// `npm run bench:files`: the time and the memory it takes to accept large files within the
// default limits: a 100-page PDF, a DOCX of 5 MB of text, a 10 MB image and a 5 MB CSV, and the
// main thread's share of it: the CPU time it spent, and the longest it was held at once (what
// every other council and chat event waited for). Each is read in a fresh process, so its
// resident memory is its own: the figure is the peak RSS while reading, less the RSS just
// before. Before that, the process reads one small file of the same kind, as a running bot has:
// what is loaded once (pdf.js, ~1 MB of code) and compiled on first use is not counted per file;
// it costs the bot's first PDF about a second more. Targets: under 3 s and under 150 MB each.

const MB = 1024 * 1024;
const LIMITS: FileLimits = { maxFiles: 3, maxFileBytes: 10 * MB, maxPdfPages: 200, maxCharacters: 200_000, maxImagePixels: 25_000_000 };
const TARGET_MS = 3000;
const TARGET_MB = 150;

interface Measure {
  ms: number;
  extraMb: number;
  /** The CPU time the main thread spent while the file was read (the process's other threads not counted). */
  busyMs: number;
  /** The longest the main thread's event loop was held at once while the file was read. */
  pauseMs: number;
  what: string;
}

if (process.argv[2] === "--measure") {
  const [, , , name = "", path = "", warmUpName = "", warmUpPath = ""] = process.argv;
  await readAttachment(warmUpName, new Uint8Array(readFileSync(warmUpPath)), LIMITS);
  const measure = await measureOne(name, path);
  process.stdout.write(JSON.stringify(measure));
} else {
  await main();
}

async function measureOne(name: string, path: string): Promise<Measure> {
  const bytes = new Uint8Array(readFileSync(path));
  global.gc?.();
  const before = process.memoryUsage.rss();
  const pauses = monitorEventLoopDelay({ resolution: 5 });
  pauses.enable();
  const cpu = process.threadCpuUsage();
  const started = performance.now();
  const attachment = await readAttachment(name, bytes, LIMITS);
  const ms = performance.now() - started;
  pauses.disable();
  const used = process.threadCpuUsage(cpu);
  const busyMs = (used.user + used.system) / 1000;
  // maxRSS is the process's peak resident set in KiB, sampled by the kernel: nothing in between is missed.
  const extraMb = (process.resourceUsage().maxRSS * 1024 - before) / MB;
  const what =
    attachment.kind === "image"
      ? `${attachment.type} ${attachment.width}×${attachment.height}`
      : `${attachment.type}${attachment.pages === undefined ? "" : `, ${attachment.pages} pages`}, ${attachment.characters.used}/${attachment.characters.total} characters kept`;
  return { ms, extraMb, busyMs, pauseMs: pauses.max / 1e6, what };
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "council-bench-files-"));
  try {
    const files = await writeFiles(folder);
    const rows: string[][] = [];
    for (const file of files) {
      const args = ["--expose-gc", fileURLToPath(import.meta.url), "--measure", file.name, file.path, file.warmUp.name, file.warmUp.path];
      const output = execFileSync(process.execPath, [...process.execArgv, ...args], { encoding: "utf8" });
      const measure = JSON.parse(output) as Measure;
      const ok = measure.ms < TARGET_MS && measure.extraMb < TARGET_MB;
      rows.push([
        file.name,
        `${(file.size / MB).toFixed(1)} MB`,
        measure.what,
        `${Math.round(measure.ms)} ms`,
        `${measure.extraMb.toFixed(1)} MB`,
        `${Math.round(measure.busyMs)} ms`,
        `${Math.round(measure.pauseMs)} ms`,
        ok ? "ok" : "over",
      ]);
    }
    printTable(["file", "size", "read as", "time", "extra RSS", "main-thread CPU", "longest main-thread pause", `target <${TARGET_MS / 1000} s, <${TARGET_MB} MB`], rows);
    // Times are CPU time on a shared machine: the load says how much of it this bench had.
    console.log(`\nload average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores while measuring`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

interface BenchFile {
  name: string;
  path: string;
  size: number;
  warmUp: { name: string; path: string };
}

async function writeFiles(folder: string): Promise<BenchFile[]> {
  const random = createSeededRandom(14);
  const line = (n: number) => `Line ${n}: the quarterly figures for region ${n % 7} rose by ${(random() * 10).toFixed(2)}% on the previous period.`;
  const pdf = await pdfWithPages(Array.from({ length: 100 }, (_, page) => Array.from({ length: 50 }, (_, n) => line(page * 50 + n)).join("\n")));
  // Noise does not compress: a 1600×1600 PNG of it weighs 10 MB, as a large photo does.
  const image = png(1600, 1600, () => [random() * 256, random() * 256, random() * 256, random() * 256]);
  const paragraph = (n: number) => `Paragraph ${n}. ${line(n)} ${line(n + 1)}`;
  let csv = "id,date,region,product,quantity,unit_price,comment\n";
  for (let n = 1; csv.length < 5 * MB; n++) {
    csv += `${n},2026-${String((n % 12) + 1).padStart(2, "0")}-${String((n % 28) + 1).padStart(2, "0")},region-${n % 7},SKU-${n % 997},${n % 50},${(random() * 100).toFixed(2)},"ok"\n`;
  }
  const files = [
    { name: "report-100-pages.pdf", bytes: pdf, warmUp: { name: "note.pdf", bytes: await pdfWithPages([line(0)]) } },
    {
      name: "manual-5mb-text.docx",
      bytes: await docxWithParagraphs(Array.from({ length: 20_000 }, (_, n) => paragraph(n))),
      warmUp: { name: "memo.docx", bytes: await docxWithParagraphs([paragraph(0)]) },
    },
    { name: "photo-10mb.png", bytes: image, warmUp: { name: "icon.png", bytes: png(16, 16) } },
    { name: "sales-5mb.csv", bytes: new TextEncoder().encode(csv), warmUp: { name: "few.csv", bytes: new TextEncoder().encode("a,b\n1,2\n3,4\n") } },
  ];
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(folder, name);
    writeFileSync(path, bytes);
    return path;
  };
  return files.map(({ name, bytes, warmUp }) => ({
    name,
    path: write(name, bytes),
    size: bytes.length,
    warmUp: { name: warmUp.name, path: write(warmUp.name, warmUp.bytes) },
  }));
}
