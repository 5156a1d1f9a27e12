import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { createCouncilEngine } from "../src/council/engine.js";
import type { ReviewMode } from "../src/council/preset.js";
import { createLlmRouter } from "../src/llm/router.js";
import { type Fakes, MAX_MEMBERS, type Profile, presetFor, startFakes } from "./council-fakes.js";
import { type CouncilFigures, figuresOf, measureCouncil, replayNaive } from "./council-run.js";

// The benchmark's independent groups. Each runs in a worker thread of its own, with its own
// fakes, clients, engine and event loop, so the groups can run side by side without sharing
// an event loop; inside a group everything is sequential.

export const MEMBER_COUNTS = [3, 5, 8] as const;
export const RUNS = 3;
export const COLD_LOAD_MS = 2000;
export const COLD_MEMBERS = 5;
export const COLD_REVIEW: ReviewMode = "ranking";

export type GroupSpec = { kind: "warm"; profile: Profile; review: ReviewMode; slots: number } | { kind: "cold" };

export interface RowFigures {
  profile: Profile;
  members: number;
  slots: number;
  review: ReviewMode;
  councils: CouncilFigures[];
  naiveMs: number[];
}

export interface ColdFigures {
  noPreload: CouncilFigures;
  preloadMs: number;
  preloadErrors: string[];
  afterPreload: CouncilFigures;
}

export type GroupResult = { kind: "warm"; rows: RowFigures[] } | { kind: "cold"; runs: ColdFigures[] };

function engineFor(fakes: Fakes) {
  return createCouncilEngine({
    members: createLlmRouter({ urls: [fakes.members.url] }),
    chairman: createLlmRouter({ urls: [fakes.chairman.url] }),
  });
}

/**
 * Every member count, RUNS councils each, on one pair of warm fakes; in the GPU profile each
 * council is followed by its naive replay (the CPU chairman's would only add minutes).
 */
async function warmGroup(profile: Profile, review: ReviewMode, slots: number): Promise<RowFigures[]> {
  const fakes = await startFakes({ slots, loadMs: 0, profile });
  try {
    const engine = engineFor(fakes);
    // Every model loaded once with its pinned num_ctx, and one unmeasured council for the JIT and the sockets.
    const preloaded = await engine.preload(presetFor(MAX_MEMBERS, review));
    const failed = preloaded.filter((result) => result.error);
    if (failed.length > 0) throw new Error(`preload failed: ${JSON.stringify(failed)}`);
    await measureCouncil(engine, presetFor(3, review), fakes);
    const rows: RowFigures[] = [];
    for (const members of MEMBER_COUNTS) {
      const row: RowFigures = { profile, members, slots, review, councils: [], naiveMs: [] };
      const preset = presetFor(members, review);
      for (let run = 0; run < RUNS; run++) {
        const council = await measureCouncil(engine, preset, fakes);
        row.councils.push(figuresOf(council));
        if (profile === "gpu") row.naiveMs.push(await replayNaive(council.set, fakes));
      }
      rows.push(row);
    }
    return rows;
  } finally {
    await fakes.close();
  }
}

/** The first council on cold models: without a preload, then on fresh fakes after engine.preload(). */
async function coldGroup(): Promise<ColdFigures[]> {
  const preset = presetFor(COLD_MEMBERS, COLD_REVIEW);
  const runs: ColdFigures[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cold = await startFakes({ slots: 4, loadMs: COLD_LOAD_MS });
    let noPreload: CouncilFigures;
    try {
      noPreload = figuresOf(await measureCouncil(engineFor(cold), preset, cold));
    } finally {
      await cold.close();
    }
    const fresh = await startFakes({ slots: 4, loadMs: COLD_LOAD_MS });
    try {
      const engine = engineFor(fresh);
      const startedAt = performance.now();
      const preloaded = await engine.preload(preset);
      const preloadMs = performance.now() - startedAt;
      const afterPreload = figuresOf(await measureCouncil(engine, preset, fresh));
      runs.push({
        noPreload,
        preloadMs,
        preloadErrors: preloaded.flatMap((result) => (result.error ? [`${result.model}: ${result.error}`] : [])),
        afterPreload,
      });
    } finally {
      await fresh.close();
    }
  }
  return runs;
}

export async function runGroup(spec: GroupSpec): Promise<GroupResult> {
  return spec.kind === "warm" ? { kind: "warm", rows: await warmGroup(spec.profile, spec.review, spec.slots) } : { kind: "cold", runs: await coldGroup() };
}

if (!isMainThread && parentPort) parentPort.postMessage(await runGroup(workerData as GroupSpec));
