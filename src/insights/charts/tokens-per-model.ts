import { barPanel } from "./bar-panel.js";
import { requireRows } from "./chart-input-error.js";
import { formatCount } from "./figures.js";
import type { Panel, Rect } from "./panel.js";
import { renderPng } from "./render-png.js";
import { SERIES, SINGLE_CHART_SIZE } from "./theme.js";

// Where the tokens go: each model's prompt and completion tokens as one stacked bar, the
// biggest spender on top, its total at the bar's end.

export interface ModelTokensRow {
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export function tokensPanel(rows: readonly ModelTokensRow[], rect: Rect): Panel {
  const total = (row: ModelTokensRow) => row.promptTokens + row.completionTokens;
  const sorted = [...requireRows(rows, "tokens per model")].sort((a, b) => total(b) - total(a) || a.model.localeCompare(b.model));
  return barPanel(
    {
      title: "Tokens per model",
      rows: sorted.map((row) => row.model),
      sets: [
        { name: "prompt", color: SERIES.sky, values: sorted.map((row) => row.promptTokens) },
        { name: "completion", color: SERIES.orange, values: sorted.map((row) => row.completionTokens) },
      ],
      stacked: true,
      unit: "tokens",
      format: formatCount,
      tick: formatCount,
      counts: true,
    },
    rect,
  );
}

export async function renderTokensPerModel(rows: readonly ModelTokensRow[]): Promise<Buffer> {
  return renderPng([tokensPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE })], SINGLE_CHART_SIZE);
}
