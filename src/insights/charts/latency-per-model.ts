import { barPanel, type BarSet } from "./bar-panel.js";
import { requireRows } from "./chart-input-error.js";
import { formatSeconds, formatSecondsTick } from "./figures.js";
import type { Panel, Rect } from "./panel.js";
import { renderPng } from "./render-png.js";
import { SERIES, SINGLE_CHART_SIZE } from "./theme.js";

// How long each model's calls take: the median and the p90 (the slow calls a user waits on),
// and the median time to the first token when the calls streamed; the fastest model on top.

export interface ModelLatencyRow {
  model: string;
  medianSeconds: number;
  p90Seconds: number;
  /** Median seconds from a call's start to its first token; absent or null when none streamed. */
  firstTokenMedianSeconds?: number | null;
}

export function latencyPanel(rows: readonly ModelLatencyRow[], rect: Rect): Panel {
  const sorted = [...requireRows(rows, "latency per model")].sort((a, b) => a.medianSeconds - b.medianSeconds || a.model.localeCompare(b.model));
  const sets: BarSet[] = [
    { name: "median", color: SERIES.sky, values: sorted.map((row) => row.medianSeconds) },
    { name: "p90", color: SERIES.orange, values: sorted.map((row) => row.p90Seconds) },
  ];
  const firstToken = sorted.map((row) => row.firstTokenMedianSeconds ?? null);
  if (firstToken.some((value) => value !== null)) sets.push({ name: "first token (median)", color: SERIES.green, values: firstToken });
  return barPanel({ title: "Latency per model", rows: sorted.map((row) => row.model), sets, stacked: false, unit: "seconds per call", format: formatSeconds, tick: formatSecondsTick }, rect);
}

export async function renderLatencyPerModel(rows: readonly ModelLatencyRow[]): Promise<Buffer> {
  return renderPng([latencyPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE })], SINGLE_CHART_SIZE);
}
