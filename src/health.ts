import { createHostMetrics } from "../host/host-metrics.js";
import { type SystemHealth, systemHealth } from "../wire/worker-health.js";
import { createOllamaClient, type OllamaClient } from "./llm/ollama-client.js";

// What /council-health shows, gathered fresh: every worker and the chairman's Ollama (reachable,
// round trip, version, models installed and loaded, and the host's CPU, memory and GPUs when
// the server is a council worker), and this machine's own metrics. Platform-free: each chat
// adapter renders it.

export interface LoadedModel {
  name: string;
  vramBytes: number;
  expiresAt?: string;
}

export interface ServerHealth {
  url: string;
  role: "members" | "chairman";
  reachable: boolean;
  roundTripMs?: number;
  version?: string;
  installed: string[];
  loaded: LoadedModel[];
  /** Only council workers report their host; a plain Ollama does not. */
  system?: SystemHealth;
  error?: string;
}

export interface HealthReport {
  servers: ServerHealth[];
  bot: SystemHealth | { error: string };
}

export interface HealthReporterOptions {
  memberUrls: readonly string[];
  chairmanUrl: string;
  token?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export function createHealthReporter(options: HealthReporterOptions) {
  const now = options.now ?? (() => performance.now());
  const host = createHostMetrics();
  const servers = [
    ...options.memberUrls.map((url) => ({ url, role: "members" as const })),
    // One machine: the chairman's Ollama is often a worker URL too, and is checked once.
    ...(options.memberUrls.includes(options.chairmanUrl) ? [] : [{ url: options.chairmanUrl, role: "chairman" as const }]),
  ].map((server) => ({ ...server, client: createOllamaClient({ baseUrl: server.url, token: options.token, fetch: options.fetch }) }));

  async function check(server: { url: string; role: ServerHealth["role"]; client: OllamaClient }): Promise<ServerHealth> {
    const sentAt = now();
    try {
      const version = await server.client.version();
      const roundTripMs = Math.round((now() - sentAt) * 10) / 10;
      const [installed, loaded, system] = await Promise.all([
        server.client.listModels(),
        server.client.getJson("/api/ps").then(loadedModels),
        server.client.getJson("/health/system").then(
          (value) => systemHealth.safeParse(value).data,
          () => undefined,
        ),
      ]);
      return { url: server.url, role: server.role, reachable: true, roundTripMs, version, installed, loaded, ...(system && { system }) };
    } catch (error) {
      return { url: server.url, role: server.role, reachable: false, installed: [], loaded: [], error: (error as Error).message };
    }
  }

  async function report(): Promise<HealthReport> {
    const [checked, bot] = await Promise.all([
      Promise.all(servers.map(check)),
      host.snapshot().catch((error: unknown) => ({ error: (error as Error).message })),
    ]);
    return { servers: checked, bot };
  }

  return { report };
}

export type HealthReporter = ReturnType<typeof createHealthReporter>;

function loadedModels(value: unknown): LoadedModel[] {
  const models = (value as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return [];
  return models.flatMap((entry: { name?: unknown; size_vram?: unknown; expires_at?: unknown }) =>
    typeof entry.name === "string"
      ? [{ name: entry.name, vramBytes: typeof entry.size_vram === "number" ? entry.size_vram : 0, ...(typeof entry.expires_at === "string" && { expiresAt: entry.expires_at }) }]
      : [],
  );
}
