import type { BarSeriesOption } from "echarts";
import { rowAxis, rowNameWidth, valueAxis } from "./axes.js";
import { requireFinite } from "./chart-input-error.js";
import type { Panel, Rect } from "./panel.js";
import { panelFrame } from "./panel-frame.js";
import { CARD, FONT_SIZE, labelStyle } from "./theme.js";

// Horizontal bars, one row per model or stage, as tokens, latency and stage times draw them:
// side by side (a median next to its p90) or stacked (prompt then completion tokens). Rows run
// down the side so that long model names have room.

export interface BarSet {
  name: string;
  color: string;
  /** One per row; null draws no bar. */
  values: readonly (number | null)[];
}

export interface BarPanelSpec {
  title: string;
  rows: readonly string[];
  sets: readonly BarSet[];
  stacked: boolean;
  /** The value axis's name, its unit. */
  unit: string;
  /** A bar's value label; a stacked row's total at its end. */
  format: (value: number) => string;
  /** The value axis's ticks. */
  tick: (value: number) => string;
  /** Whole numbers only (tokens): no tick falls between two. */
  counts?: boolean;
}

/** The axis labels and the rows' gaps take about this much of the plot's height. */
const AXIS_HEIGHT = 56;

export function barPanel(spec: BarPanelSpec, rect: Rect): Panel {
  const frame = panelFrame(
    rect,
    spec.title,
    spec.sets.map((set) => set.name),
  );
  spec.sets.forEach((set) => set.values.forEach((value, row) => value !== null && requireFinite(value, `${spec.title}: ${set.name} of ${spec.rows[row]}`)));
  const barsPerRow = spec.stacked ? 1 : spec.sets.length;
  const band = (frame.plot.height - AXIS_HEIGHT) / spec.rows.length;
  // A value beside every bar only where a bar is as thick as the text, or the labels overlap.
  const labelled = (band * 0.7) / barsPerRow >= FONT_SIZE.label;
  const totals = spec.rows.map((_row, row) => spec.sets.reduce((sum, set) => sum + (set.values[row] ?? 0), 0));
  const series = spec.sets.map((set, index): BarSeriesOption => {
    // Stacked, only the last set is labelled, with the row's total, at the stack's end.
    const showLabel = spec.stacked ? index === spec.sets.length - 1 : labelled;
    return {
      type: "bar",
      name: set.name,
      data: [...set.values],
      itemStyle: { color: set.color, borderRadius: spec.stacked ? 0 : [0, 3, 3, 0] },
      barMaxWidth: 28,
      barGap: "15%",
      ...(spec.stacked ? { stack: "total" } : {}),
      label: {
        show: showLabel,
        position: "right",
        ...labelStyle(CARD.text),
        formatter: (params) => spec.format(spec.stacked ? (totals[params.dataIndex] ?? 0) : Number(params.value)),
      },
    };
  });
  return {
    title: [frame.title],
    legend: frame.legend,
    grid: [frame.grid],
    xAxis: [valueAxis(spec.unit, spec.tick, { boundaryGap: [0, "12%"], ...(spec.counts ? { minInterval: 1 } : {}) })],
    yAxis: [rowAxis(spec.rows, rowNameWidth(rect.width))],
    series,
  };
}
