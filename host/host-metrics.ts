import type { SystemHealth } from "../wire/worker-health.js";

// A machine's CPU, memory and GPUs, for the worker's /health/system (PC2) and the bot's
// /council-health (PC1): the one module both processes share besides the wire types.
// systeminformation shells out for GPUs (nvidia-smi, lspci) and a sample costs hundreds of
// milliseconds (seconds on a busy host), so one sample serves every caller for a short while
// after it ends, and callers that arrive while it runs share it rather than start another.
const DEFAULT_TTL_MS = 2_000;

export function createHostMetrics(options: { ttlMs?: number; now?: () => number; sample?: () => Promise<SystemHealth> } = {}) {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const take = options.sample ?? sample;
  let cached: { value: Promise<SystemHealth>; endedAt?: number } | undefined;

  function snapshot(): Promise<SystemHealth> {
    // Still running (no end yet), or ended less than ttlMs ago: served as it is.
    if (!cached || (cached.endedAt !== undefined && now() - cached.endedAt >= ttlMs)) {
      const entry: { value: Promise<SystemHealth>; endedAt?: number } = { value: take() };
      entry.value.then(
        () => (entry.endedAt = now()),
        // A failed sample must not be served from cache for the next two seconds.
        () => cached === entry && (cached = undefined),
      );
      cached = entry;
    }
    return cached.value;
  }

  return { snapshot };
}

async function sample(): Promise<SystemHealth> {
  // Loaded on first use: it weighs ~11 MB of the worker's memory, and most workers are asked
  // for host metrics only when an admin runs /council-health.
  const { default: si } = await import("systeminformation");
  const [cpu, load, memory, graphics] = await Promise.all([si.cpu(), si.currentLoad(), si.mem(), si.graphics()]);
  return {
    cpu: {
      model: `${cpu.manufacturer} ${cpu.brand}`.trim(),
      cores: cpu.cores,
      loadPercent: round(load.currentLoad),
      loadAverage: round(load.avgLoad),
    },
    // "active" is what the host really uses; "used" on Linux counts the page cache too.
    memory: { usedBytes: memory.active, totalBytes: memory.total },
    gpus: graphics.controllers.map((gpu) => ({
      name: gpu.model || gpu.vendor || "unknown GPU",
      vramTotalMb: gpu.memoryTotal ?? gpu.vram ?? null,
      vramUsedMb: gpu.memoryUsed ?? null,
      utilizationPercent: gpu.utilizationGpu ?? null,
    })),
    sampledAt: new Date().toISOString(),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
