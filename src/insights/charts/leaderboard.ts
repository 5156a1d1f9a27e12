import type { CustomSeriesOption, ScatterSeriesOption } from "echarts";
import { figureColumn, rowAxis, rowNameWidth, valueAxis } from "./axes.js";
import { ChartInputError, requireFinite, requireRows } from "./chart-input-error.js";
import { fitText } from "./fit-text.js";
import { formatCount } from "./figures.js";
import type { Panel, Rect } from "./panel.js";
import { panelFrame } from "./panel-frame.js";
import { renderPng } from "./render-png.js";
import { CARD, FONT_SIZE, SERIES, SINGLE_CHART_SIZE, labelStyle } from "./theme.js";

// Which model the peers rate best: each model's rating as a dot on its 95% interval, best on
// top, with the figures and the number of comparisons behind them in a column on the right.

export interface LeaderboardRow {
  model: string;
  /** On an Elo-like scale around 1000; null when no ballot compared this model with another. */
  rating: number | null;
  /** The 95% interval's ends on the same scale; null when there is none (no rating, or too few councils). */
  low: number | null;
  high: number | null;
  /** The pairwise preferences the rating was fitted to. */
  comparisons: number;
}

const AVERAGE_RATING = 1000;

export function leaderboardPanel(rows: readonly LeaderboardRow[], rect: Rect): Panel {
  const ranked = rank(requireRows(rows, "leaderboard"));
  const frame = panelFrame(rect, "Peer rating", ["rating", "95% interval"]);
  const rated = ranked.filter((row) => row.rating !== null);
  const intervals = ranked.flatMap((row, index) => (row.low !== null && row.high !== null ? [[row.low, row.high, index]] : []));
  const interval: CustomSeriesOption = {
    type: "custom",
    name: "95% interval",
    itemStyle: { color: SERIES.sky, opacity: 0.45 },
    encode: { x: [0, 1], y: 2 },
    data: intervals,
    renderItem: (_params, api) => {
      const [lowX = 0, y = 0] = api.coord([api.value(0), api.value(2)]);
      const [highX = 0] = api.coord([api.value(1), api.value(2)]);
      const band = (api.size?.([0, 1]) as number[])[1] ?? 0;
      const height = Math.min(band * 0.45, 22);
      return { type: "rect", shape: { x: lowX, y: y - height / 2, width: Math.max(highX - lowX, 2), height, r: 3 }, style: { fill: SERIES.sky, opacity: 0.45 } };
    },
  };
  const point: ScatterSeriesOption = {
    type: "scatter",
    name: "rating",
    symbolSize: 14,
    itemStyle: { color: SERIES.sky, borderColor: CARD.text, borderWidth: 1.5 },
    data: ranked.map((row, index) => (row.rating === null ? null : [row.rating, index])),
    markLine: hasAverageInRange(rated)
      ? {
          silent: true,
          symbol: "none",
          lineStyle: { color: CARD.muted, type: "dashed" },
          label: { ...labelStyle(), formatter: "average", position: "start" },
          data: [{ xAxis: AVERAGE_RATING }],
        }
      : undefined,
  };
  const nameWidth = rowNameWidth(rect.width);
  const fits = (labels: string[]) => labels.every((label) => fitText(label, nameWidth, FONT_SIZE.label) === label);
  const long = ranked.map((row) => figures(row, "comparisons"));
  const column = fits(long) ? long : ranked.map((row) => figures(row, "n"));
  return {
    title: [frame.title],
    legend: frame.legend,
    grid: [frame.grid],
    xAxis: [valueAxis("rating", String, rated.length === 0 ? { min: 900, max: 1100 } : { scale: true })],
    yAxis: [
      rowAxis(
        ranked.map((row) => row.model),
        nameWidth,
      ),
      figureColumn(
        column.map((text) => ({ text, color: CARD.muted })),
        nameWidth,
      ),
    ],
    series: [interval, point],
  };
}

export async function renderLeaderboard(rows: readonly LeaderboardRow[]): Promise<Buffer> {
  return renderPng([leaderboardPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE })], SINGLE_CHART_SIZE);
}

/** Best first; models with no rating after the rated ones, by name. */
function rank(rows: readonly LeaderboardRow[]): LeaderboardRow[] {
  rows.forEach(check);
  const byRating = (a: LeaderboardRow, b: LeaderboardRow) => (b.rating ?? -Infinity) - (a.rating ?? -Infinity) || a.model.localeCompare(b.model);
  return [...rows].sort(byRating);
}

function check(row: LeaderboardRow): void {
  for (const field of ["rating", "low", "high"] as const) {
    const value = row[field];
    if (value !== null) requireFinite(value, `leaderboard row ${row.model}: ${field}`);
  }
  if ((row.low === null) !== (row.high === null)) throw new ChartInputError(`leaderboard row ${row.model}: low and high give the interval together; pass both or neither`);
}

/**
 * "1085 (1040–1131) · 412 comparisons", or "… · n=412" where a narrow panel has no room for the
 * word; "no comparisons", or "no rating · n=3" when the comparisons could not give one.
 */
function figures(row: LeaderboardRow, count: "comparisons" | "n"): string {
  if (row.comparisons === 0 && row.rating === null) return "no comparisons";
  const comparisons = count === "n" ? `n=${formatCount(row.comparisons)}` : `${formatCount(row.comparisons)} comparison${row.comparisons === 1 ? "" : "s"}`;
  if (row.rating === null) return `no rating · ${comparisons}`;
  const interval = row.low !== null && row.high !== null ? ` (${Math.round(row.low)}–${Math.round(row.high)})` : "";
  return `${Math.round(row.rating)}${interval} · ${comparisons}`;
}

function hasAverageInRange(rated: readonly LeaderboardRow[]): boolean {
  const ends = rated.flatMap((row) => [row.low ?? row.rating ?? AVERAGE_RATING, row.high ?? row.rating ?? AVERAGE_RATING]);
  return Math.min(...ends) <= AVERAGE_RATING && AVERAGE_RATING <= Math.max(...ends);
}
