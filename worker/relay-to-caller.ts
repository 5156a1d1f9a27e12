import type { ServerResponse } from "node:http";
import type { watchGeneration } from "./generation-watch.js";
import type { UpstreamResponse } from "./ollama-upstream.js";

// Ollama's answer written straight to the caller's connection: each chunk is one write, with
// no stream pipe in between, so a token reaches the caller in the same turn it arrived. The
// head is sent with the first chunk (Ollama sends both together), so a response that turns out
// malformed before any byte of its body is still a 502 naming the cause. Only validated values
// reach the caller's head: the status undici parsed and one of Ollama's two content types.

export function relayToCaller(upstream: UpstreamResponse, caller: ServerResponse, watch: ReturnType<typeof watchGeneration>): void {
  const contentType = upstream.streamed ? "application/x-ndjson" : "application/json; charset=utf-8";
  const sendHead = () => {
    if (!caller.headersSent) caller.writeHead(upstream.status, { "content-type": contentType });
  };
  // One chunk from Ollama may hold many payloads, so a full caller is waited for only once.
  let awaitingDrain = false;
  const resume = () => {
    awaitingDrain = false;
    upstream.resume();
  };
  upstream.pipeTo({
    data(payload) {
      watch.chunk(payload);
      sendHead();
      if (!caller.write(payload) && !awaitingDrain) {
        awaitingDrain = true;
        upstream.pause();
        caller.once("drain", resume);
      }
    },
    end() {
      watch.end();
      sendHead();
      caller.end();
    },
    fail(error) {
      if (caller.destroyed) return watch.end(); // the caller left: that is what aborted the request
      if (!caller.headersSent) {
        watch.end();
        caller.writeHead(502, { "content-type": "application/json; charset=utf-8", connection: "close" });
        return caller.end(JSON.stringify({ error: error.message }));
      }
      // Mid-stream, the cause goes out the way Ollama reports its own mid-stream errors, as a
      // last {"error"} line that every Ollama client raises; a single JSON value cut short
      // can only be cut off, so it never looks complete.
      if (upstream.streamed) {
        const line = Buffer.from(`${JSON.stringify({ error: error.message })}\n`);
        watch.chunk(line);
        watch.end();
        return caller.end(line);
      }
      watch.end();
      caller.destroy();
    },
  });
}
