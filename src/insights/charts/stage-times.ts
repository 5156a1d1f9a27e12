import { barPanel } from "./bar-panel.js";
import { requireRows } from "./chart-input-error.js";
import { formatSeconds, formatSecondsTick } from "./figures.js";
import type { Panel, Rect } from "./panel.js";
import { renderPng } from "./render-png.js";
import { SERIES, SINGLE_CHART_SIZE } from "./theme.js";

// Where a council's time goes: each stage's median and p90 wall time, in the order given (the
// order the stages run: answers, debate, review, synthesis).

export interface StageTimeRow {
  /** The stage's name as the reader should see it ("answers", "peer review", …). */
  stage: string;
  medianSeconds: number;
  p90Seconds: number;
}

export function stageTimesPanel(rows: readonly StageTimeRow[], rect: Rect): Panel {
  requireRows(rows, "time per stage");
  return barPanel(
    {
      title: "Time per stage",
      rows: rows.map((row) => row.stage),
      sets: [
        { name: "median", color: SERIES.sky, values: rows.map((row) => row.medianSeconds) },
        { name: "p90", color: SERIES.orange, values: rows.map((row) => row.p90Seconds) },
      ],
      stacked: false,
      unit: "seconds per council",
      format: formatSeconds,
      tick: formatSecondsTick,
    },
    rect,
  );
}

export async function renderStageTimes(rows: readonly StageTimeRow[]): Promise<Buffer> {
  return renderPng([stageTimesPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE })], SINGLE_CHART_SIZE);
}
