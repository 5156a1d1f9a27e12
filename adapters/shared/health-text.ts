import type { SystemHealth } from "../../wire/worker-health.js";
import type { HealthReport, ServerHealth } from "../../src/health.js";
import type { RecentError } from "../../src/recent-errors.js";
import { formatDuration } from "./text.js";

// /council-health in words, the same on Discord and Slack: each server, this machine, the
// councils running, and the last failures.

export interface HealthSummary {
  servers: Array<{ title: string; lines: string[]; reachable: boolean }>;
  bot: string[];
  councils: string;
  errors: string[];
}

export function summariseHealth(
  report: HealthReport,
  councils: { inFlight(): number; waiting(): number },
  errors: readonly RecentError[],
  now = Date.now(),
): HealthSummary {
  const inFlight = councils.inFlight();
  return {
    servers: report.servers.map((server) => ({ title: serverTitle(server), lines: serverLines(server), reachable: server.reachable })),
    bot: "error" in report.bot ? [`metrics unavailable: ${report.bot.error}`] : systemLines(report.bot),
    councils: `${inFlight} council${inFlight === 1 ? "" : "s"} in flight, ${councils.waiting()} waiting`,
    errors: errors.length === 0 ? ["none"] : errors.map((error) => `${formatDuration(now - error.at.getTime())} ago · ${error.where}: ${error.message}`),
  };
}

function serverTitle(server: ServerHealth): string {
  const role = server.role === "members" ? "worker" : "chairman";
  return `${server.reachable ? "🟢" : "🔴"} ${role} ${server.url}`;
}

function serverLines(server: ServerHealth): string[] {
  if (!server.reachable) return [`not reachable: ${server.error ?? "no answer"}`];
  const loaded = server.loaded.map((model) => `${model.name} (${gigabytes(model.vramBytes)} VRAM)`);
  return [
    `Ollama ${server.version ?? "?"} · ${server.roundTripMs ?? "?"} ms round trip`,
    `installed: ${server.installed.length > 0 ? server.installed.join(", ") : "none"}`,
    `loaded: ${loaded.length > 0 ? loaded.join(", ") : "none"}`,
    ...(server.system ? systemLines(server.system) : []),
  ];
}

function systemLines(system: SystemHealth): string[] {
  const gpus = system.gpus.map((gpu) => {
    const vram = gpu.vramUsedMb !== null && gpu.vramTotalMb !== null ? ` ${(gpu.vramUsedMb / 1024).toFixed(1)}/${(gpu.vramTotalMb / 1024).toFixed(1)} GB` : "";
    return `GPU ${gpu.name}${vram}${gpu.utilizationPercent !== null ? ` · ${gpu.utilizationPercent}%` : ""}`;
  });
  return [
    `CPU ${system.cpu.model} · ${system.cpu.cores} cores · ${system.cpu.loadPercent}% load`,
    `RAM ${gigabytes(system.memory.usedBytes)} of ${gigabytes(system.memory.totalBytes)}`,
    ...(gpus.length > 0 ? gpus : ["no GPU found"]),
  ];
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
