import { Ollama } from "ollama";
import { report } from "./report.js";

// Run by the container test inside the stack (`podman exec`): one streamed generation through
// the worker, reported as it goes, so that the test can send the worker SIGTERM in the middle
// and see whether the generation still ends with Ollama's done chunk (the drain) or is cut.
//
//   node --import tsx test-support/containers/stream-generation.ts MODEL
// with WORKER_URL and WORKER_TOKEN in the environment.

const [model] = process.argv.slice(2);
const { WORKER_URL: host, WORKER_TOKEN: token } = process.env;
if (!model || !host || !token) throw new Error("usage: WORKER_URL=… WORKER_TOKEN=… stream-generation.ts MODEL");

const worker = new Ollama({ host, headers: { Authorization: `Bearer ${token}` } });
let chunks = 0;
try {
  for await (const part of await worker.generate({ model, prompt: "Say something long.", stream: true })) {
    if (chunks++ === 0) report("generation-streaming");
    if (part.done) report("generation-done", { chunks, doneReason: part.done_reason });
  }
} catch (error) {
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  report("generation-failed", { chunks, error: error instanceof Error ? error.message : String(error), cause: String(cause) });
}
