import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Admission } from "./admission.js";

// One registry per server instance, so two workers in one process (tests, benchmarks) never
// share counters.
export function createMetrics(admission: Admission) {
  // No default process metrics: their event-loop sampler wakes the worker every 10 ms for
  // figures /health/system already gives.
  const registry = new Registry();

  const requests = new Counter({
    name: "council_worker_requests_total",
    help: "Requests answered, by endpoint, model and HTTP status (or 'stream-error' for an error line mid-stream).",
    labelNames: ["endpoint", "model", "status"] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "council_worker_tokens_total",
    help: "Tokens processed: direction 'in' is prompt_eval_count, 'out' is eval_count.",
    labelNames: ["model", "direction"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "council_worker_request_duration_seconds",
    help: "Time from request to the end of the response, queueing included.",
    labelNames: ["endpoint", "model"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const firstChunk = new Histogram({
    name: "council_worker_first_chunk_seconds",
    help: "Time from request to the first byte of Ollama's answer (queueing, load and prompt evaluation).",
    labelNames: ["model"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: "council_worker_queue_wait_seconds",
    help: "Time a request waited for one of its model's slots.",
    labelNames: ["model"] as const,
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: "council_worker_queue_depth",
    help: "Requests waiting for a slot, by model.",
    labelNames: ["model"] as const,
    registers: [registry],
    collect() {
      for (const lane of admission.stats()) this.set({ model: lane.model }, lane.queued);
    },
  });
  new Gauge({
    name: "council_worker_slots_busy",
    help: "Slots in use, by model (at most WORKER_PARALLEL).",
    labelNames: ["model"] as const,
    registers: [registry],
    collect() {
      for (const lane of admission.stats()) this.set({ model: lane.model }, lane.busy);
    },
  });

  return { registry, requests, tokens, duration, firstChunk, queueWait };
}

export type Metrics = ReturnType<typeof createMetrics>;
