// Starts the fake Ollama on a real socket (node:http, 127.0.0.1 only) and hands back the
// controls tests use: the request record, run-time scripting, slot counters and waits.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer } from "../fake-kit/close-server.js";
import { createFaultCounter } from "./faults.js";
import { createKvCache } from "./kv-cache.js";
import { createModelCatalog, normalizeModelName } from "./model-catalog.js";
import type { FakeOllama, FakeOllamaOptions } from "./model-script.js";
import { createReply } from "./reply.js";
import { createRequestLog } from "./request-log.js";
import { route, takesJsonBody, type RouteDeps } from "./routes.js";
import { createScheduler } from "./scheduler.js";
import { createTimers, now } from "./timers.js";
import { asGoRequest } from "./go-struct.js";
import { parseJsonBody, readBody } from "./wire.js";

export const DEFAULT_VERSION = "0.12.6";
export const DEFAULT_MAX_QUEUE = 512;

/** FakeOllama plus a leak check for the fake's own tests. */
export interface FakeOllamaServer extends FakeOllama {
  /** Timers the fake holds right now (token schedules, loads, prefills being finished). */
  pendingTimers(): number;
}

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllamaServer> {
  const catalog = createModelCatalog(options.models);
  const timers = createTimers();
  const log = createRequestLog();
  const faults = createFaultCounter();
  const lifetime = new AbortController();
  const scheduler = createScheduler({
    timers,
    maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
    limits(model) {
      const script = catalog.get(model)?.script;
      return { parallel: script?.parallel ?? 1, loadMs: script?.loadMs ?? 0 };
    },
  });
  // Every response until its socket side is done; close() waits for them so records settle first.
  const openResponses = new Set<Promise<void>>();
  const kvCache = createKvCache({ multiUser: options.multiUserCache ?? false });
  const deps: RouteDeps = { catalog, scheduler, timers, faults, log, kvCache, version: options.version ?? DEFAULT_VERSION };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake-ollama").pathname;
    const method = req.method ?? "GET";
    const record = log.add({ method, path, headers: { ...req.headers }, receivedAt: now() });
    const closed = new Promise<void>((resolve) => res.once("close", resolve));
    openResponses.add(closed);
    void closed.then(() => openResponses.delete(closed));
    const reply = createReply(res, record, log, lifetime.signal);
    try {
      const text = await readBody(req);
      const parsed = parseJsonBody(text);
      if (parsed.ok && takesJsonBody(path)) parsed.value = asGoRequest(parsed.value);
      log.update(record, { body: parsed.ok ? parsed.value : text === "" ? undefined : text });
      const handler = route(method, path, reply);
      if (!handler) return;
      if (takesJsonBody(path) && !parsed.ok) return reply.error(400, parsed.error);
      await handler({ body: parsed.ok ? parsed.value : undefined, record, reply, deps });
    } catch (error) {
      // A bug in the fake must show up in the test that hit it, not vanish or hang.
      const message = `fake-ollama internal error: ${error instanceof Error ? error.stack : String(error)}`;
      if (reply.headersSent) reply.endStream(`${JSON.stringify({ error: message })}\n`);
      else reply.error(500, message);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return log.records;
    },
    setModel(name, model) {
      const entry = catalog.set(name, model);
      faults.forget(entry.name);
    },
    removeModel(name) {
      catalog.remove(name);
      faults.forget(normalizeModelName(name));
    },
    reloads: (model) => scheduler.reloads(normalizeModelName(model)),
    loads: (model) => scheduler.loads(normalizeModelName(model)),
    inFlight: (model) => scheduler.inFlight(model === undefined ? undefined : normalizeModelName(model)),
    waiting: (model) => scheduler.waiting(model === undefined ? undefined : normalizeModelName(model)),
    waitForRequest: (predicate, timeoutMs) => log.waitForRequest(predicate, timeoutMs),
    waitForSettled: (id, timeoutMs) => log.waitForSettled(id, timeoutMs),
    reset() {
      log.clear();
      scheduler.reset();
      faults.clear();
      kvCache.clear();
    },
    pendingTimers: () => timers.pending(),
    close() {
      closing ??= (async () => {
        // Abort first so every handler unwinds and gives its slot back.
        lifetime.abort(new Error("fake-ollama: closed"));
        timers.dispose();
        await closeServer(server);
        await Promise.all(openResponses);
        // Only now: the records of the requests cut off above have settled and woken their waits.
        log.close();
      })();
      return closing;
    },
  };
}
