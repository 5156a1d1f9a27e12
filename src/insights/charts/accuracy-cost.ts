import type { CustomSeriesOption, ScatterSeriesOption, XAXisComponentOption, YAXisComponentOption } from "echarts";
import { valueAxis } from "./axes.js";
import { ChartInputError, requireFinite, requireRows } from "./chart-input-error.js";
import { formatCount } from "./figures.js";
import type { Panel, Rect } from "./panel.js";
import { panelFrame } from "./panel-frame.js";
import { renderPng } from "./render-png.js";
import { CARD, SERIES, SINGLE_CHART_SIZE, labelStyle } from "./theme.js";

// What `npm run eval` found: each strategy's accuracy as a dot on its 95% interval, against the
// tokens it spends per item (a log scale: a council spends ten to thirty times one answer), so
// "better, and at what price" is read off one picture. Colour says the kind of strategy.

export interface AccuracyCostRow {
  name: string;
  kind: "council" | "member" | "majority" | "budget-vote";
  /** From 0 to 1. */
  accuracy: number;
  interval: [number, number];
  tokensPerItem: number;
}

const KINDS: Record<AccuracyCostRow["kind"], { label: string; color: string }> = {
  council: { label: "council", color: SERIES.sky },
  member: { label: "member alone", color: SERIES.orange },
  majority: { label: "members' majority", color: SERIES.green },
  "budget-vote": { label: "best member, equal budget", color: SERIES.purple },
};

export function accuracyCostPanel(rows: readonly AccuracyCostRow[], rect: Rect, title: string): Panel {
  requireRows(rows, "accuracy against tokens").forEach(check);
  const kinds = (Object.keys(KINDS) as Array<AccuracyCostRow["kind"]>).filter((kind) => rows.some((row) => row.kind === kind));
  const frame = panelFrame(rect, title, kinds.map((kind) => KINDS[kind].label));
  const percent = (value: number) => Math.round(value * 1000) / 10;
  const bars: CustomSeriesOption = {
    type: "custom",
    name: "95% interval",
    silent: true,
    data: rows.map((row) => [row.tokensPerItem, percent(row.interval[0]), percent(row.interval[1]), kinds.indexOf(row.kind)]),
    renderItem: (_params, api) => {
      const [x = 0, low = 0] = api.coord([api.value(0), api.value(1)]);
      const [, high = 0] = api.coord([api.value(0), api.value(2)]);
      const color = KINDS[kinds[Number(api.value(3))] ?? "council"].color;
      const style = { stroke: color, lineWidth: 2, opacity: 0.7 };
      return {
        type: "group",
        children: [
          { type: "line", shape: { x1: x, y1: low, x2: x, y2: high }, style },
          { type: "line", shape: { x1: x - 6, y1: low, x2: x + 6, y2: low }, style },
          { type: "line", shape: { x1: x - 6, y1: high, x2: x + 6, y2: high }, style },
        ],
      };
    },
  };
  const labels = sharedLabels(rows);
  const dots: ScatterSeriesOption[] = kinds.map((kind) => ({
    type: "scatter",
    name: KINDS[kind].label,
    symbolSize: 13,
    itemStyle: { color: KINDS[kind].color, borderColor: CARD.text, borderWidth: 1.5 },
    label: { show: true, position: "right", distance: 8, ...labelStyle(CARD.text), formatter: (params) => String((params.data as [number, number, string])[2]) },
    data: rows.flatMap((row, index) => (row.kind === kind ? [[row.tokensPerItem, percent(row.accuracy), labels[index] ?? ""]] : [])),
  }));
  return {
    title: [frame.title],
    legend: frame.legend,
    grid: [frame.grid],
    xAxis: [{ ...valueAxis("tokens per item (log scale)", formatCount), type: "log", logBase: 10 } as XAXisComponentOption],
    yAxis: [{ ...valueAxis("accuracy, 95% interval", (value) => `${value}%`, { min: 0, max: 100 }), nameGap: 52, nameRotate: 90 } as YAXisComponentOption],
    series: [bars, ...dots],
  };
}

export async function renderAccuracyCost(rows: readonly AccuracyCostRow[], title = "Accuracy against tokens per item"): Promise<Buffer> {
  return renderPng([accuracyCostPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE }, title)], SINGLE_CHART_SIZE);
}

/**
 * Strategies of about the same cost and accuracy (best-of and weighted often are) would print
 * their names over each other: the first of such a group carries all their names, the others none.
 */
function sharedLabels(rows: readonly AccuracyCostRow[]): string[] {
  const near = (a: AccuracyCostRow, b: AccuracyCostRow) => Math.abs(Math.log10(a.tokensPerItem) - Math.log10(b.tokensPerItem)) < 0.05 && Math.abs(a.accuracy - b.accuracy) < 0.03;
  return rows.map((row) => {
    const group = rows.filter((other) => near(row, other));
    return group[0] === row ? group.map((other) => other.name).join(", ") : "";
  });
}

function check(row: AccuracyCostRow): void {
  for (const [field, value] of [["accuracy", row.accuracy], ["interval low", row.interval[0]], ["interval high", row.interval[1]]] as const) {
    requireFinite(value, `row ${row.name}: ${field}`);
    if (value < 0 || value > 1) throw new ChartInputError(`row ${row.name}: ${field} is ${value}; pass a share from 0 to 1`);
  }
  // A log scale has no place for 0: a strategy that spent nothing (all replayed from a file) cannot be drawn.
  if (!(requireFinite(row.tokensPerItem, `row ${row.name}: tokensPerItem`) > 0)) throw new ChartInputError(`row ${row.name}: tokensPerItem is ${row.tokensPerItem}; pass a number above 0`);
}
