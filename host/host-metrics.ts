import type { SystemHealth } from "../wire/worker-health.js";

// A machine's CPU, memory and GPUs, for the worker's /health/system (PC2) and the bot's
// /council-health (PC1): the one module both processes share besides the wire types.
// systeminformation shells out for GPUs (nvidia-smi, lspci) and a sample costs hundreds of
// milliseconds, so one sample serves every caller for a short while, and callers that arrive
// during a sample share it.
const DEFAULT_TTL_MS = 2_000;

export function createHostMetrics(options: { ttlMs?: number; now?: () => number } = {}) {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  let cached: { at: number; value: Promise<SystemHealth> } | undefined;

  function snapshot(): Promise<SystemHealth> {
    if (!cached || now() - cached.at >= ttlMs) {
      const value = sample();
      cached = { at: now(), value };
      // A failed sample must not be served from cache for the next two seconds.
      value.catch(() => (cached = undefined));
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
