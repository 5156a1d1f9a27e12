import { parentPort } from "node:worker_threads";
import { extractDocx } from "./extract-docx.js";
import { extractPdf } from "./extract-pdf.js";
import { type ExtractionReply, type ExtractionRequest, extractionRequestSchema } from "./extraction-messages.js";
import { FileRefusedError } from "./file-refused-error.js";
import { keepDocumentText } from "./keep-document-text.js";

// The extraction worker (extraction-workers.ts starts it): reads one PDF or DOCX at a time on
// its own thread and sends back the text (asked with a character limit, only the part it keeps),
// or the refusal as data. What is not a refusal (a bug, a request that does not check out) is
// thrown uncaught: the thread dies, and the bot refuses that file as one its reader could not
// read. The bot bounds its time and memory from outside.

const port = parentPort;
if (port === null) throw new Error("extraction-worker-main runs as a worker thread (extraction-workers.ts starts it)");

port.on("message", (message: unknown) => {
  const request = extractionRequestSchema.parse(message);
  extract(request).then(
    (reply) => port.postMessage(reply),
    (error: unknown) => {
      if (!(error instanceof FileRefusedError)) throw error;
      const cause = error.cause instanceof Error ? { name: error.cause.name, message: error.cause.message.slice(0, 2000) } : undefined;
      port.postMessage({ id: request.id, refusal: { kind: error.kind, message: error.message, ...(cause && { cause }) } });
    },
  );
});

async function extract(request: ExtractionRequest): Promise<ExtractionReply> {
  const read = request.type === "pdf" ? await extractPdf(request.name, request.bytes, request.maxPages) : { text: await extractDocx(request.name, request.bytes) };
  // Cut here, so that the whole text never crosses: the bot's heap gets the kept part only.
  return { id: request.id, ...read, ...(request.maxCharacters !== undefined && keepDocumentText(read.text, request.maxCharacters)) };
}
