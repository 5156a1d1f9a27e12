import { execFileSync } from "node:child_process";
import http from "node:http";
import { startFakeOllama } from "../test-support/fake-ollama/index.js";
import { formatMs, percentile, printTable } from "./stats.js";
import { processStatus, startWorkerProcess } from "./worker-process.js";

// What callers who invent model names cost the worker: 5000 distinct names Ollama does not
// have, 10 KB each, sent with no WORKER_MODELS (the default), then the worker's memory and how
// long a Prometheus scrape of /metrics takes. Each name used to leave an admission lane and
// metric series behind. Targets: under 10 MB of RSS growth, /metrics under 100 ms. The worker is
// first warmed up with as many requests of the same size for a model Ollama has, so V8 has grown
// its heap for that traffic before "before" is read; the names are then sent in two rounds, so
// anything kept per name shows as growth in each.

const NAMES = 5_000;
const NAME_BYTES = 10_000;
// Each unknown name waits for the next look at Ollama's list (at most one a second), so many
// callers at once keep the run short; fewer than WORKER_MAX_CONNECTIONS_PER_ADDRESS's default.
const CALLERS = 200;
const SCRAPES = 20;

const agent = new http.Agent({ keepAlive: true, maxSockets: CALLERS });

function post(url: string, model: string, content = "hi"): Promise<number> {
  const body = JSON.stringify({ model, messages: [{ role: "user", content }], stream: false });
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/api/chat`, { method: "POST", agent }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** `count` calls of `call`, CALLERS at a time. */
async function inParallel(count: number, call: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let i = next++; i < count; i = next++) await call(i);
    }),
  );
}

async function scrapes(url: string): Promise<{ ms: number[]; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const startedAt = performance.now();
    bytes = (await (await fetch(`${url}/metrics`)).text()).length;
    ms.push(performance.now() - startedAt);
  }
  return { ms, bytes };
}

async function main(): Promise<void> {
  execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  const ollama = await startFakeOllama({ models: { "real:1b": { decodeTokensPerSecond: 10_000 } } });
  const worker = await startWorkerProcess(ollama.url);
  try {
    await inParallel(NAMES, () => post(worker.url, "real:1b", "x".repeat(NAME_BYTES))); // warm-up: JIT, sockets, heap, one real lane and series
    const before = { memory: processStatus(worker.pid), metrics: await scrapes(worker.url) };

    const statuses = new Map<number, number>();
    const sendRound = (round: number, count: number) =>
      inParallel(count, async (i) => {
        const status = await post(worker.url, `invented-${round}-${i}-${"x".repeat(NAME_BYTES)}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
    const startedAt = performance.now();
    await sendRound(1, NAMES / 2);
    const half = processStatus(worker.pid);
    await sendRound(2, NAMES / 2);
    const seconds = (performance.now() - startedAt) / 1000;
    const after = { memory: processStatus(worker.pid), metrics: await scrapes(worker.url) };
    const tagsAsked = ollama.requests.filter((request) => request.path === "/api/tags").length;
    const chatsForwarded = ollama.requests.filter((request) => request.path === "/api/chat" && request.model !== "real:1b").length;

    console.log(`worker soak: ${NAMES} distinct unknown model names of ${NAME_BYTES / 1000} KB from ${CALLERS} callers, no WORKER_MODELS\n`);
    printTable(
      ["", "RSS", "/metrics p50", "/metrics max", "/metrics size"],
      [
        ["before", `${before.memory.rssMb.toFixed(1)} MB`, formatMs(percentile(before.metrics.ms, 50)), formatMs(Math.max(...before.metrics.ms)), `${before.metrics.bytes} B`],
        [`after ${NAMES / 2}`, `${half.rssMb.toFixed(1)} MB`, "", "", ""],
        [`after ${NAMES}`, `${after.memory.rssMb.toFixed(1)} MB`, formatMs(percentile(after.metrics.ms, 50)), formatMs(Math.max(...after.metrics.ms)), `${after.metrics.bytes} B`],
      ],
    );
    console.log(
      `\nRSS growth ${(after.memory.rssMb - before.memory.rssMb).toFixed(1)} MB in all (target < 10 MB), ` +
        `${(after.memory.rssMb - half.rssMb).toFixed(1)} MB in the second ${NAMES / 2}; peak ${after.memory.peakMb.toFixed(1)} MB; ` +
        `answers ${[...statuses].map(([status, count]) => `${count}× ${status}`).join(", ")} in ${seconds.toFixed(1)} s; ` +
        `Ollama asked for its list ${tagsAsked} times and sent ${chatsForwarded} of those chats`,
    );
  } finally {
    worker.stop();
    agent.destroy();
    await ollama.close();
  }
}

await main();
