import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import type { BotConfig } from "../config/index.js";
import { createFairAdmission } from "./admission/fair-admission.js";
import type { CouncilEngine } from "./council/engine.js";
import { type CouncilService, createCouncilService } from "./council-service.js";
import { type BotMetrics, watchQueue } from "./metrics/bot-metrics.js";
import { type CouncilStore, createCouncilStore } from "./store/council-store.js";
import { openDatabase } from "./store/open-database.js";
import { createSafeStore } from "./store/safe-store.js";

// The chat bots' council service from the settings: the database at COUNCIL_DB and the fair
// admission's limits, counted into `metrics` when given. Throws StoreOpenError (naming
// COUNCIL_DB) when the file cannot be opened.

export interface OpenedCouncilService {
  councils: CouncilService;
  store: CouncilStore;
  /** The connection itself, for what only SQLite can tell (tests that fill the disk, say). */
  db: Database;
  close(): void;
}

type AdmissionSettings = Pick<BotConfig, "COUNCIL_DB" | "COUNCIL_MAX_IN_FLIGHT" | "COUNCIL_QUEUE_MAX" | "COUNCIL_USER_QUEUE" | "COUNCIL_USER_PER_HOUR">;

export function openCouncilService(
  config: AdmissionSettings,
  engine: Pick<CouncilEngine, "runCouncil" | "checkAttachments">,
  logger: Logger,
  metrics?: BotMetrics,
): OpenedCouncilService {
  const db = openDatabase(config.COUNCIL_DB);
  const store = createSafeStore(createCouncilStore(db), logger.child({ module: "store" }));
  const admission = createFairAdmission({
    maxInFlight: config.COUNCIL_MAX_IN_FLIGHT,
    maxWaiting: config.COUNCIL_QUEUE_MAX,
    userWaiting: config.COUNCIL_USER_QUEUE,
    userPerHour: config.COUNCIL_USER_PER_HOUR,
  });
  const councils = createCouncilService({ engine, admission, store, logger, metrics });
  if (metrics) watchQueue(metrics, councils);
  return {
    councils,
    store,
    db,
    close: () => db.close(),
  };
}
