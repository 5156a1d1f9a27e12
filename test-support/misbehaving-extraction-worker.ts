import { existsSync } from "node:fs";
import { parentPort } from "node:worker_threads";

// An extraction worker that misbehaves on request, for the tests of extraction-workers.ts: the
// file's name says how.
//   "wait-for:PATH"  holds its thread in a loop, never yielding, until a file exists at PATH (a
//                    reader busy on a hostile document); then answers "read after waiting"
//   "crash"          throws, uncaught, as a bug in a reader would
//   "garbage"        answers something that is not a reply
//   "too-long"       answers twice the characters it was asked to keep, counted as if it kept them
//   "miscounted"     answers a kept text that counts more characters used than the text had

parentPort?.on("message", (request: { id: number; name: string; maxCharacters?: number }) => {
  const { id, name, maxCharacters = 0 } = request;
  if (name.startsWith("wait-for:")) {
    const path = name.slice("wait-for:".length);
    while (!existsSync(path)) {
      // Spins: no event, no timer, no message is handled on this thread meanwhile.
    }
    parentPort?.postMessage({ id, text: "read after waiting" });
  } else if (name === "crash") {
    throw new Error("the reader tripped over its own feet");
  } else if (name === "garbage") {
    parentPort?.postMessage({ id, text: 42 });
  } else if (name === "too-long") {
    parentPort?.postMessage({ id, text: "x".repeat(maxCharacters * 2), characters: { total: maxCharacters * 2, used: maxCharacters }, blank: false });
  } else if (name === "miscounted") {
    parentPort?.postMessage({ id, text: "short", characters: { total: 5, used: 6 }, blank: false });
  }
});
