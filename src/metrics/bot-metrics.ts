import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

// The bot's Prometheus instruments, for a team that wants to see on a graph what the councils
// cost and where they wait. Every label comes from a closed set (platforms, statuses, stages,
// failure kinds, token kinds) or from the presets file (model names), never from what a user
// typed or who they are: a label value is a series kept for the life of the process.

export const PLATFORMS = ["discord", "slack", "console"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The port the chat adapters count through: their platform answered 429. */
export interface PlatformMetrics {
  rateLimited(platform: Platform): void;
}

/** Model calls and stages run from well under a second to the call and stage timeouts (180 s and 300 s by default). */
const CALL_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180, 300];
const STAGE_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180, 300, 600];
/** A first token comes after the model's load and the prompt's evaluation: milliseconds when loaded, a minute for a cold big model. */
const FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** A seat comes at once on a quiet bot, after several councils' worth of minutes on a busy one. */
const QUEUE_WAIT_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800];

// One registry per bot, so two bots in one process (tests) never share counters.
export function createBotMetrics() {
  const registry = new Registry();
  // Unlike the worker, the bot has no other way to show its own process: its memory, CPU,
  // open files and event-loop lag (what a synchronous SQLite write or a stuck render shows as).
  // The sampler wakes the process every 10 ms only while metrics are on.
  collectDefaultMetrics({ register: registry, prefix: "council_bot_" });

  const councils = new Counter({
    name: "council_councils_total",
    help: "Councils ended, by platform and final status (completed, partial, failed, interrupted), as the record says.",
    labelNames: ["platform", "status"] as const,
    registers: [registry],
  });
  const stageDuration = new Histogram({
    name: "council_stage_duration_seconds",
    help: "Wall time of each stage of a council (answers, debate, review, synthesis); a debate round counts once each.",
    labelNames: ["stage"] as const,
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  const callDuration = new Histogram({
    name: "council_model_call_duration_seconds",
    help: "Wall time of each model call that returned, by model and stage, as the bot saw it (queueing at the worker included).",
    labelNames: ["model", "stage"] as const,
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  const firstToken = new Histogram({
    name: "council_model_first_token_seconds",
    help: "From a model call's start to its first streamed text, by model and stage (a cold model's load shows here).",
    labelNames: ["model", "stage"] as const,
    buckets: FIRST_TOKEN_BUCKETS,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "council_model_tokens_total",
    help: "Tokens of the model calls that returned, by model, stage and kind (prompt: read, completion: written).",
    labelNames: ["model", "stage", "kind"] as const,
    registers: [registry],
  });
  const callFailures = new Counter({
    name: "council_model_call_failures_total",
    help: "Model calls that ended without an answer, by model, stage and reason (an LLM error kind, deadline, cancelled or error).",
    labelNames: ["model", "stage", "reason"] as const,
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: "council_queue_wait_seconds",
    help: "Time from a council's admission to its seat (its start), for councils that started.",
    buckets: QUEUE_WAIT_BUCKETS,
    registers: [registry],
  });
  const rateLimits = new Counter({
    name: "council_platform_rate_limited_total",
    help: "Requests the chat platform answered with 429 (the adapter waits and tries again), by platform.",
    labelNames: ["platform"] as const,
    registers: [registry],
  });

  const platforms: PlatformMetrics = {
    rateLimited: (platform) => rateLimits.inc({ platform }),
  };
  return { registry, councils, stageDuration, callDuration, firstToken, tokens, callFailures, queueWait, platforms };
}

export type BotMetrics = ReturnType<typeof createBotMetrics>;

/** What the queue gauges read at each scrape: the council service's counts. */
export interface QueueCounts {
  waiting(): number;
  inFlight(): number;
}

/** Registered once the council service exists (it is given the metrics, so it cannot come first). */
export function watchQueue(metrics: BotMetrics, queue: QueueCounts): void {
  new Gauge({
    name: "council_councils_waiting",
    help: "Councils admitted and waiting for a seat now.",
    registers: [metrics.registry],
    collect() {
      this.set(queue.waiting());
    },
  });
  new Gauge({
    name: "council_councils_running",
    help: "Councils holding a seat now (at most COUNCIL_MAX_IN_FLIGHT).",
    registers: [metrics.registry],
    collect() {
      this.set(queue.inFlight());
    },
  });
}

/** A platform name as a label: one of PLATFORMS, or "other", so a label can never be an unbounded string. */
export function platformLabel(name: string): Platform | "other" {
  return (PLATFORMS as readonly string[]).includes(name) ? (name as Platform) : "other";
}
