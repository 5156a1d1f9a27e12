import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ExtractionReply, extractionReplySchema } from "./extraction-messages.js";
import { FileRefusedError } from "./file-refused-error.js";

// The bot reads PDFs and DOCX files on worker threads, so that while pdf.js or mammoth works
// through a large or hostile document, every council's card, every chat event and every other
// user goes on. A thread reads one file at a time, with hard bounds from outside: past its time
// it is terminated (not asked to stop: a reader stuck in a loop never would), and its heap is
// capped, so a document that needs more dies with its thread, not with the bot. A thread stays
// for the next file while files keep coming (starting one and loading pdf.js costs a few hundred
// milliseconds) and ends after a quiet spell. At most `maxThreads` read at once; more files wait
// their turn, so a burst of uploads cannot take more than that many heaps of memory.

/**
 * A document to read: its bytes stay the caller's (the worker gets a copy it owns). With
 * `maxCharacters` (FILE_MAX_CHARS), the thread keeps that much of the text (keepDocumentText) and
 * sends back only that; without it, the whole text.
 */
export type DocumentRequest = ({ type: "pdf"; name: string; bytes: Uint8Array; maxPages: number } | { type: "docx"; name: string; bytes: Uint8Array }) & {
  maxCharacters?: number;
};

export interface DocumentText {
  /** The text, or what keepDocumentText keeps of it when the request asked `maxCharacters`. */
  text: string;
  /** A PDF's page count. */
  pages?: number;
  /** When the request asked `maxCharacters`: the whole text's characters, and how many `text` keeps. */
  characters?: { total: number; used: number };
  /** When the request asked `maxCharacters`: whether the whole text is nothing but whitespace. */
  blank?: boolean;
}

export interface ExtractionWorkers {
  /** The document's text; rejects with the FileRefusedError that refuses it. `limitMs` overrides the time bound for this one file. */
  read(request: DocumentRequest, limitMs?: number): Promise<DocumentText>;
  /** Ends every thread at once; files being read or waiting are refused, as the bot is stopping. */
  close(): void;
  /** The ids of the threads alive now (none while no document is read). */
  threadIds(): number[];
}

export interface ExtractionWorkersOptions {
  /** How long one file may take, from when a thread is given it (a fresh thread's start, a few hundred milliseconds, counts); default READ_LIMIT_MS. */
  limitMs?: number;
  /** The heap (V8's old generation) one thread may use; default READ_MEMORY_MB. */
  memoryMb?: number;
  /** Threads reading at once; default 2. */
  maxThreads?: number;
  /** How long an idle thread waits for the next file before it ends; default 30 s. */
  idleMs?: number;
  /** The worker's script: by default the bundle beside the bot's, or from source the TypeScript entry. */
  script?: string;
}

/** A 100-page report reads in about 2 s here; a document that needs fifteen times that is refused. */
export const READ_LIMIT_MS = 30_000;

/**
 * Measured by halving a thread's cap until the read failed: a 100-page PDF reads within 32 MB,
 * 200 pages within 64 MB, 800 pages within 128 MB; mammoth holds the XML's whole tree, so a DOCX
 * needs far more: 96 MB for 3.7 million characters of text (bench:files' 5 MB DOCX), 192 MB for
 * 7.5 million, 384 MB for 15 million. 256 MB reads a PDF of the most pages FILE_MAX_PDF_PAGES
 * allows by default several times over, and a DOCX of about 10 million characters (a book of
 * thousands of pages); a DOCX at its unpacked bound (50 MB of XML) would need about 1 GB at that rate, and is
 * refused instead of taking the bot's memory. Two threads at most: 512 MB in the worst case.
 */
export const READ_MEMORY_MB = 256;

interface Job {
  request: DocumentRequest;
  limitMs: number;
  resolve(text: DocumentText): void;
  reject(error: FileRefusedError): void;
}

interface Thread {
  worker: Worker;
  /** The file it reads now, with the id its reply must carry and the timer of its bound. */
  job?: { id: number; job: Job; timer: NodeJS.Timeout };
  idle?: NodeJS.Timeout;
  /** Why it died, when it reported it before exiting (an uncaught error, running out of memory). */
  died?: Error;
}

export function createExtractionWorkers(options: ExtractionWorkersOptions = {}): ExtractionWorkers {
  const { limitMs: defaultLimitMs = READ_LIMIT_MS, memoryMb = READ_MEMORY_MB, maxThreads = 2, idleMs = 30_000 } = options;
  const threads = new Set<Thread>();
  const waiting: Job[] = [];
  let nextId = 0;

  function start(): Thread {
    const { path, execArgv } = options.script === undefined ? entryPoint() : scriptAt(options.script);
    // No settings cross either: the worker gets an empty environment of its own.
    const worker = new Worker(path, { execArgv, env: {}, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    const thread: Thread = { worker };
    threads.add(thread);
    worker.on("message", (message: unknown) => settle(thread, message));
    worker.on("messageerror", (error) => fail(thread, error));
    worker.on("error", (error) => {
      thread.died = error;
    });
    worker.on("exit", () => {
      threads.delete(thread);
      clearTimeout(thread.idle);
      const running = thread.job;
      thread.job = undefined;
      if (running) {
        clearTimeout(running.timer);
        running.job.reject(diedRefusal(running.job.request, thread.died, memoryMb));
      }
      next();
    });
    // An idle thread does not keep the bot running; a file's timer does, while it is read.
    worker.unref();
    return thread;
  }

  /**
   * A reply that does not check out (a text longer than the characters asked for among them) means
   * the thread cannot be trusted: it is ended, and its file refused.
   */
  function settle(thread: Thread, message: unknown): void {
    const running = thread.job;
    if (!running) return fail(thread, new Error("a reply to no file it was given"));
    const { request } = running.job;
    const parsed = extractionReplySchema(request.maxCharacters).safeParse(message);
    const problem =
      !parsed.success ? `a reply that does not check out (${parsed.error.issues[0]?.message})`
      : parsed.data.id !== running.id ? "a reply to no file it was given"
      : "text" in parsed.data && (parsed.data.pages !== undefined) !== (request.type === "pdf") ? "a page count only a PDF has"
      : undefined;
    if (problem !== undefined || !parsed.success) return fail(thread, new Error(problem));
    clearTimeout(running.timer);
    thread.job = undefined;
    if ("refusal" in parsed.data) running.job.reject(refusalOf(request.name, parsed.data));
    else {
      const { id: _id, pages, ...read } = parsed.data;
      running.job.resolve({ ...read, ...(pages !== undefined && { pages }) });
    }
    thread.idle = setTimeout(() => retire(thread), idleMs).unref();
    next();
  }

  function fail(thread: Thread, error: Error): void {
    thread.died ??= error;
    clearTimeout(thread.idle);
    thread.idle = undefined;
    void thread.worker.terminate();
  }

  /** Ends a thread that has no file, or whose file is already settled: it takes none from now. */
  function retire(thread: Thread): void {
    threads.delete(thread);
    clearTimeout(thread.idle);
    thread.idle = undefined;
    thread.job = undefined;
    void thread.worker.terminate();
  }

  /** Gives the next waiting file to an idle thread, or to a new one while fewer than maxThreads run. */
  function next(): void {
    while (waiting.length > 0) {
      const idle = [...threads].find((thread) => thread.job === undefined && thread.idle !== undefined);
      let thread = idle;
      if (thread === undefined && threads.size < maxThreads) {
        try {
          thread = start();
        } catch (error) {
          // A thread that cannot even start (a broken install) refuses the file it was for, and says whose fault it is.
          const job = waiting.shift() as Job;
          job.reject(notStartedRefusal(job.request.name, error));
          continue;
        }
      }
      if (thread === undefined) return;
      run(thread, waiting.shift() as Job);
    }
  }

  function run(thread: Thread, job: Job): void {
    clearTimeout(thread.idle);
    thread.idle = undefined;
    const id = ++nextId;
    // The bound is hard: the thread is terminated, whatever its reader is doing, and its file refused at once.
    const timer = setTimeout(() => {
      retire(thread);
      job.reject(tooSlowRefusal(job.request.name, job.limitMs));
      next();
    }, job.limitMs);
    thread.job = { id, job, timer };
    // One copy, into a buffer of the file's own size that is transferred, not cloned: the caller's
    // bytes may be a view into a larger (pooled) buffer, and stay theirs.
    const bytes = new Uint8Array(job.request.bytes);
    thread.worker.postMessage({ ...job.request, id, bytes }, [bytes.buffer]);
  }

  return {
    read(request, limitMs = defaultLimitMs) {
      return new Promise<DocumentText>((resolve, reject) => {
        waiting.push({ request, limitMs, resolve, reject });
        next();
      });
    },
    close() {
      for (const job of waiting.splice(0)) job.reject(stoppingRefusal(job.request.name));
      for (const thread of [...threads]) {
        const running = thread.job;
        retire(thread);
        if (running) {
          clearTimeout(running.timer);
          running.job.reject(stoppingRefusal(running.job.request.name));
        }
      }
    },
    threadIds: () => [...threads].map((thread) => thread.worker.threadId),
  };
}

function refusalOf(name: string, reply: Extract<ExtractionReply, { refusal: unknown }>): FileRefusedError {
  const { kind, message, cause } = reply.refusal;
  return new FileRefusedError(kind, message, name, cause && { cause: Object.assign(new Error(cause.message), { name: cause.name }) });
}

function tooSlowRefusal(name: string, limitMs: number): FileRefusedError {
  return new FileRefusedError(
    "too-slow",
    `"${name}" took more than ${Math.round(limitMs / 1000)} s to read, so the council stopped reading it. Send the pages that matter, or its text.`,
    name,
  );
}

function diedRefusal(request: DocumentRequest, died: Error | undefined, memoryMb: number): FileRefusedError {
  const { name } = request;
  if ((died as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return new FileRefusedError(
      "too-much-memory",
      `"${name}" needs more than ${memoryMb} MB of memory to read, more than a document may take, so the council stopped reading it. Send the pages that matter, or its text.`,
      name,
      { cause: died },
    );
  }
  return new FileRefusedError(
    "reader-failed",
    `"${name}" could not be read: the ${request.type === "pdf" ? "PDF" : "Word"} reader stopped on it (${died?.message ?? "it ended without a reason"}). Send it again as ${request.type === "pdf" ? "a new PDF (print it to PDF)" : "a PDF"}, or send its text.`,
    name,
    { cause: died },
  );
}

function notStartedRefusal(name: string, error: unknown): FileRefusedError {
  const reason = error instanceof Error ? error.message : String(error);
  return new FileRefusedError(
    "reader-failed",
    `"${name}" was not read: the bot's document reader could not start (${reason}). The file is not at fault: tell the bot's admin, who can rebuild the reader with \`npm run build:bot\`.`,
    name,
    { cause: error },
  );
}

function stoppingRefusal(name: string): FileRefusedError {
  return new FileRefusedError("reader-failed", `"${name}" was not read: the bot is stopping. Send it again in a minute.`, name);
}

/** Bundled, the worker is its own bundle beside the bot's (npm run build:bot); from source (tsx, tests), the TypeScript entry through tsx. */
function entryPoint(): { path: string; execArgv: string[] } {
  if (import.meta.url.endsWith(".ts")) return scriptAt(fileURLToPath(new URL("./extraction-worker-main.ts", import.meta.url)));
  return scriptAt(fileURLToPath(new URL("./extraction-worker.mjs", import.meta.url)));
}

function scriptAt(path: string): { path: string; execArgv: string[] } {
  return { path, execArgv: path.endsWith(".ts") ? ["--import", import.meta.resolve("tsx")] : [] };
}

/** The bot's readers of PDFs and DOCX files: no thread until the first document. */
export const botExtraction = createExtractionWorkers();
