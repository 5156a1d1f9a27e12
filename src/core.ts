import type { Logger } from "pino";
import type { BotConfig } from "../config/index.js";
import { loadPresets, type PresetCatalog } from "../config/presets.js";
import { type FileLimits, fileLimitsOf } from "./files/index.js";
import { type CouncilEngine, createCouncilEngine } from "./council/engine.js";
import { createLlmRouter, type LlmRouter } from "./llm/router.js";

// PC1's core, without any chat platform: the presets, the LLM routes (members on the workers,
// the chairman on the local Ollama) and the council engine. Every front end starts from here.

export interface ServerProbe {
  url: string;
  role: "members" | "chairman";
  reachable: boolean;
  models: string[];
  error?: string;
}

export interface Core {
  engine: CouncilEngine;
  presets: PresetCatalog;
  members: LlmRouter;
  chairman: LlmRouter;
  logger: Logger;
  /** What one question's files may be (the FILE_* settings), for the console, which reads them from disk. */
  fileLimits: FileLimits;
  /** Asks every worker and the chairman's Ollama what they have. */
  probe(): Promise<ServerProbe[]>;
}

export function createCore(config: BotConfig, logger: Logger): Core {
  const presets = loadPresets(config.COUNCIL_CONFIG, config.COUNCIL_PRESET);
  // An error names the settings to correct; on one machine a URL is often in both.
  const settingsOf = (url: string) => [
    ...(config.WORKER_URLS.includes(url) ? ["WORKER_URLS"] : []),
    ...(url === config.CHAIRMAN_URL ? ["CHAIRMAN_URL"] : []),
  ];
  const members = createLlmRouter({ urls: config.WORKER_URLS, token: config.WORKER_TOKEN, logger, setting: "WORKER_URLS", settingsOf });
  const chairman = createLlmRouter({ urls: [config.CHAIRMAN_URL], token: config.WORKER_TOKEN, logger, setting: "CHAIRMAN_URL", settingsOf });
  const engine = createCouncilEngine({ members, chairman });

  async function probe(): Promise<ServerProbe[]> {
    const [memberServers, chairmanServers] = await Promise.all([members.probe(), chairman.probe()]);
    const describe = (role: ServerProbe["role"]) => (status: Awaited<ReturnType<LlmRouter["probe"]>>[number]): ServerProbe => ({
      url: status.url,
      role,
      reachable: status.reachable === true,
      models: status.models,
      ...(status.lastError && { error: status.lastError }),
    });
    return [...memberServers.map(describe("members")), ...chairmanServers.map(describe("chairman"))];
  }

  return { engine, presets, members, chairman, logger, probe, fileLimits: fileLimitsOf(config) };
}
