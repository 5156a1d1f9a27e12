// The models the fake has "pulled", under Ollama's naming rules, with every default filled in.
import { createHash } from "node:crypto";
import type { FakeModel } from "./model-script.js";

export interface CatalogEntry {
  /** The full name Ollama shows in tags and ps: "member-a" becomes "member-a:latest". */
  name: string;
  script: FakeModel;
  meta: ModelMetadata;
  /** Wall-clock time the model was added, shown as modified_at. */
  modifiedAt: Date;
}

export interface ModelMetadata {
  sizeBytes: number;
  vramBytes: number;
  family: string;
  parameterSize: string;
  quantizationLevel: string;
  contextLength: number;
  trainedContextLength: number;
  digest: string;
}

/**
 * Ollama's canonical form: names are case-insensitive and a missing tag means ":latest", so
 * "Llama3" and "llama3:latest" are one model. A ":" before the last "/" is a registry port.
 */
export function normalizeModelName(name: string): string {
  const lower = name.trim().toLowerCase();
  const lastSegment = lower.slice(lower.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? lower : `${lower}:latest`;
}

export interface ModelCatalog {
  get(name: string): CatalogEntry | undefined;
  set(name: string, script: FakeModel): CatalogEntry;
  remove(name: string): boolean;
  list(): CatalogEntry[];
}

export function createModelCatalog(initial: Record<string, FakeModel> = {}): ModelCatalog {
  const entries = new Map<string, CatalogEntry>();
  const catalog: ModelCatalog = {
    get: (name) => entries.get(normalizeModelName(name)),
    set(name, script) {
      validateScript(name, script);
      const full = normalizeModelName(name);
      const entry: CatalogEntry = { name: full, script, meta: metadataOf(full, script), modifiedAt: new Date() };
      entries.set(full, entry);
      return entry;
    },
    remove: (name) => entries.delete(normalizeModelName(name)),
    list: () => [...entries.values()],
  };
  for (const [name, script] of Object.entries(initial)) catalog.set(name, script);
  return catalog;
}

function metadataOf(fullName: string, script: FakeModel): ModelMetadata {
  const sizeBytes = script.sizeBytes ?? 4_920_753_328;
  const contextLength = script.contextLength ?? 4096;
  return {
    sizeBytes,
    vramBytes: script.vramBytes ?? sizeBytes,
    family: script.family ?? "llama",
    parameterSize: script.parameterSize ?? "8.0B",
    quantizationLevel: script.quantizationLevel ?? "Q4_K_M",
    contextLength,
    trainedContextLength: script.trainedContextLength ?? Math.max(contextLength, 131_072),
    digest: script.digest ?? createHash("sha256").update(fullName).digest("hex"),
  };
}

/** A script mistake should fail where the test wrote it, not as a strange timing later. */
function validateScript(name: string, script: FakeModel): void {
  const fail = (what: string) => {
    throw new TypeError(`fake-ollama: model ${JSON.stringify(name)}: ${what}`);
  };
  if (name.trim() === "") fail("the name is empty");
  for (const key of ["decodeTokensPerSecond", "prefillTokensPerSecond"] as const) {
    const rate = script[key];
    if (rate !== undefined && !(rate > 0)) fail(`${key} must be > 0 (Infinity for no delay), got ${rate}`);
  }
  if (script.loadMs !== undefined && !(script.loadMs >= 0 && Number.isFinite(script.loadMs))) fail(`loadMs must be a finite number >= 0, got ${script.loadMs}`);
  if (script.parallel !== undefined && !(Number.isInteger(script.parallel) && script.parallel >= 1)) fail(`parallel must be an integer >= 1, got ${script.parallel}`);
  if (script.contextLength !== undefined && !(Number.isInteger(script.contextLength) && script.contextLength >= 1)) fail(`contextLength must be an integer >= 1, got ${script.contextLength}`);
  const fault = script.fault;
  if (fault && "afterTokens" in fault && fault.afterTokens !== undefined && !(Number.isInteger(fault.afterTokens) && fault.afterTokens >= 0)) {
    fail(`fault.afterTokens must be an integer >= 0, got ${fault.afterTokens}`);
  }
  if (fault?.kind === "http-error" && !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)) {
    fail(`fault.status must be an HTTP error status, got ${fault.status}`);
  }
}
