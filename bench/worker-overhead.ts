import { execFileSync } from "node:child_process";
import http from "node:http";
import { startFakeOllama } from "../test-support/fake-ollama/index.js";
import { formatMs, percentile, printTable } from "./stats.js";
import { processStatus, startWorkerProcess, workerNodeFlags } from "./worker-process.js";

// What the worker adds between a caller and Ollama: time to first token and to completion,
// p50 and p99, at 1, 16 and 64 concurrent streams, and the worker's memory and CPU.
// The worker runs as users run it (`npm run worker` builds dist/worker.mjs), in its own
// process; the fake Ollama and the callers share this one. Each level is a closed loop: N
// callers, each starting its next stream when the last ends, as a council's members do.
// Direct and proxied phases alternate so both see the same machine.
//
// The N callers are independent, so they start a stream apart from each other, spread over
// one stream's length, and only streams run while all N are in flight are counted. Started at
// the same instant they would stay in lockstep (every stream lasts the same time), and each
// request would queue behind the others arriving in the same millisecond. That worst case is
// its own row: bursts of 64 requests sent at once, as 13 councils of 5 members asking together
// would; it is reported, but the targets are about the closed loops.

const MODEL = "bench:8b";
const TOKENS_PER_ANSWER = 40;
const DECODE_TOKENS_PER_SECOND = 100; // a small model on a consumer GPU
const STREAM_MS = (TOKENS_PER_ANSWER * 1000) / DECODE_TOKENS_PER_SECOND;
interface Level {
  streams: number;
  samples: number;
  arrival: "closed loop" | "burst";
}
const LEVELS: Level[] = [
  { streams: 1, samples: 100, arrival: "closed loop" },
  { streams: 16, samples: 480, arrival: "closed loop" },
  { streams: 64, samples: 1920, arrival: "closed loop" },
  { streams: 64, samples: 960, arrival: "burst" },
];
const PHASES = 4;

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

/** N callers in a closed loop; a caller's first and last streams are not counted, so every counted one ran with N in flight. */
async function closedLoop(baseUrl: string, streams: number, samples: number, into: Sample[]): Promise<void> {
  const perCaller = Math.ceil(samples / streams) + 2;
  await Promise.all(
    Array.from({ length: streams }, async (_, caller) => {
      await new Promise((resolve) => setTimeout(resolve, (caller * STREAM_MS) / streams));
      for (let k = 0; k < perCaller; k++) {
        const sample = await stream(baseUrl);
        if (k > 0 && k < perCaller - 1) into.push(sample);
      }
    }),
  );
}

/** Bursts of N streams sent in the same instant, the next burst once the last has ended. */
async function bursts(baseUrl: string, streams: number, samples: number, into: Sample[]): Promise<void> {
  for (let sent = 0; sent < samples; sent += streams) {
    into.push(...(await Promise.all(Array.from({ length: streams }, () => stream(baseUrl)))));
  }
}

function measure(baseUrl: string, level: Level, samples: number, into: Sample[]): Promise<void> {
  return (level.arrival === "burst" ? bursts : closedLoop)(baseUrl, level.streams, samples, into);
}

function streamsLabel(level: Level): string {
  return level.arrival === "burst" ? `bursts of ${level.streams}` : String(level.streams);
}

async function main(): Promise<void> {
  execFileSync("taskset", ["-a", "-p", "-c", "0", String(process.pid)], { stdio: "ignore" });
  const answer = Array.from({ length: TOKENS_PER_ANSWER }, (_, i) => `word${i}`).join(" ");
  const ollama = await startFakeOllama({ models: { [MODEL]: { parallel: 64, decodeTokensPerSecond: DECODE_TOKENS_PER_SECOND, answer } } });
  const worker = await startWorkerProcess(ollama.url, { WORKER_PARALLEL: "64", WORKER_QUEUE: "1000" });
  const idle = processStatus(worker.pid);
  try {
    await bursts(worker.url, 64, 128, []); // warm-up: JIT, keep-alive sockets, model loaded
    await bursts(ollama.url, 64, 128, []);

    const rows: string[][] = [];
    const cpuRows: string[][] = [];
    for (const level of LEVELS) {
      const direct: Sample[] = [];
      const proxied: Sample[] = [];
      let workerCpuMs = 0;
      for (let phase = 0; phase < PHASES; phase++) {
        await measure(ollama.url, level, level.samples / PHASES, direct);
        const before = processStatus(worker.pid).cpuMs;
        await measure(worker.url, level, level.samples / PHASES, proxied);
        workerCpuMs += processStatus(worker.pid).cpuMs - before;
      }
      for (const [label, pick] of [
        ["first token", (s: Sample) => s.firstTokenMs],
        ["completion", (s: Sample) => s.completeMs],
      ] as const) {
        const d = direct.map(pick);
        const w = proxied.map(pick);
        rows.push([
          streamsLabel(level),
          label,
          formatMs(percentile(d, 50)),
          formatMs(percentile(w, 50)),
          formatMs(percentile(w, 50) - percentile(d, 50)),
          formatMs(percentile(d, 99)),
          formatMs(percentile(w, 99)),
          formatMs(percentile(w, 99) - percentile(d, 99)),
        ]);
      }
      cpuRows.push([streamsLabel(level), String(proxied.length), `${(workerCpuMs / proxied.length).toFixed(2)} ms`]);
    }
    const memory = processStatus(worker.pid);
    console.log(
      `worker overhead: closed loops of N streams, ${TOKENS_PER_ANSWER} tokens each at ${DECODE_TOKENS_PER_SECOND} tok/s; ` +
        `fake Ollama and callers in this process on core 0, the worker (node ${[...workerNodeFlags(), "dist/worker.mjs"].join(" ")}) on core 1\n`,
    );
    printTable(["streams", "to", "p50 direct", "p50 worker", "p50 added", "p99 direct", "p99 worker", "p99 added"], rows);
    console.log("");
    printTable(["streams", "requests", "worker CPU per request"], cpuRows);
    console.log(
      `\nworker RSS idle ${idle.rssMb.toFixed(1)} MB, after the run ${memory.rssMb.toFixed(1)} MB, peak ${memory.peakMb.toFixed(1)} MB (target <= 120 MB)`,
    );
    console.log("targets: p50 added <= 2 ms; p99 added <= 10 ms at 64 streams (the closed loops, not the bursts)");
  } finally {
    worker.stop();
    agent.destroy();
    await ollama.close();
  }
}

await main();
