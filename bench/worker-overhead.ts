import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { startFakeOllama } from "../test-support/fake-ollama/index.js";
import { formatMs, percentile, printTable } from "./stats.js";

// What the worker adds between a caller and Ollama: time to first token and to completion,
// p50 and p99, at 1, 16 and 64 concurrent streams, and the worker's own memory. The worker
// runs as its own process (as on PC2), the fake Ollama and the callers share this one; direct
// and proxied rounds alternate so both see the same machine load.

const CONCURRENCY = [1, 16, 64];
const SAMPLES_PER_LEVEL = 320;
const MODEL = "bench:8b";
const TOKENS_PER_ANSWER = 32;

interface Sample {
  firstTokenMs: number;
  completeMs: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function stream(baseUrl: string): Promise<Sample> {
  const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Tell me something." }], options: { num_predict: 64 } });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}/api/chat`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (response) => {
      let firstTokenMs: number | undefined;
      response.on("data", () => {
        firstTokenMs ??= performance.now() - started;
      });
      response.on("end", () => resolve({ firstTokenMs: firstTokenMs ?? Number.NaN, completeMs: performance.now() - started }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

async function measure(baseUrl: string, concurrency: number, rounds: number, into: Sample[]): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    into.push(...(await Promise.all(Array.from({ length: concurrency }, () => stream(baseUrl)))));
  }
}

async function startWorkerProcess(ollamaUrl: string, port: number) {
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    env: {
      PATH: process.env.PATH,
      OLLAMA_URL: ollamaUrl,
      WORKER_PORT: String(port),
      WORKER_PARALLEL: "64",
      WORKER_QUEUE: "1000",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (up) return { url, pid: child.pid ?? 0, stop: () => child.kill("SIGTERM") };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the worker did not start within 10 s");
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function main(): Promise<void> {
  const ollama = await startFakeOllama({
    models: { [MODEL]: { parallel: 64, decodeTokensPerSecond: 1000, answer: Array.from({ length: TOKENS_PER_ANSWER }, (_, i) => `word${i}`).join(" ") } },
  });
  const worker = await startWorkerProcess(ollama.url, 18_000 + Math.floor(Math.random() * 1000));
  try {
    await measure(worker.url, 16, 4, []); // warm-up: JIT, keep-alive sockets, model loaded
    await measure(ollama.url, 16, 4, []);

    const rows: string[][] = [];
    for (const concurrency of CONCURRENCY) {
      const direct: Sample[] = [];
      const proxied: Sample[] = [];
      const rounds = Math.ceil(SAMPLES_PER_LEVEL / concurrency);
      for (let round = 0; round < rounds; round++) {
        await measure(ollama.url, concurrency, 1, direct);
        await measure(worker.url, concurrency, 1, proxied);
      }
      for (const [label, pick] of [
        ["first token", (s: Sample) => s.firstTokenMs],
        ["completion", (s: Sample) => s.completeMs],
      ] as const) {
        const d = direct.map(pick);
        const w = proxied.map(pick);
        rows.push([
          String(concurrency),
          label,
          formatMs(percentile(d, 50)),
          formatMs(percentile(w, 50)),
          formatMs(percentile(w, 50) - percentile(d, 50)),
          formatMs(percentile(d, 99)),
          formatMs(percentile(w, 99)),
          formatMs(percentile(w, 99) - percentile(d, 99)),
        ]);
      }
    }
    const memory = memoryOf(worker.pid);
    console.log(`worker overhead: ${SAMPLES_PER_LEVEL} streams per level, ${TOKENS_PER_ANSWER} tokens each at 1000 tok/s, fake Ollama in this process, worker in its own\n`);
    printTable(["streams", "to", "p50 direct", "p50 worker", "p50 added", "p99 direct", "p99 worker", "p99 added"], rows);
    console.log(`\nworker RSS now ${memory.rssMb.toFixed(1)} MB, peak ${memory.peakMb.toFixed(1)} MB (target <= 120 MB)`);
    console.log("targets: p50 added to first token <= 1 ms, p99 added <= 5 ms at 64 streams");
  } finally {
    worker.stop();
    agent.destroy();
    await ollama.close();
  }
}

await main();
