import type { RadarComponentOption, RadarSeriesOption, TitleComponentOption } from "echarts";
import { requireRows } from "./chart-input-error.js";
import { fitText } from "./fit-text.js";
import type { Panel, Rect } from "./panel.js";
import { panelFrame } from "./panel-frame.js";
import { RADAR_AXES, scaleProfiles, type ModelProfileRow } from "./radar-scale.js";
import { renderPng } from "./render-png.js";
import { CARD, FONT_SIZE, SERIES, SINGLE_CHART_SIZE, labelStyle } from "./theme.js";

// Each model's profile as its own small radar (small multiples, as the seed's KPI page had),
// best-rated first: eight overlaid polygons cannot be told apart, eight small ones can. Every
// axis name carries the model's raw figure, so the shape never has to be read for a number.

const CAPTION_HEIGHT = 28;
const NOTE_HEIGHT = 28;
/** Room around a radar for its two-line axis names ("reliability" / "98%"). */
const NAME_ROOM = { side: 84, top: 44 };
const MAX_RADIUS = 190;
/** Past a dozen models the cells get small; the radars stay drawable, if cramped. */
const MIN_RADIUS = 24;
const NOTE = "Edge: the best-rated, fastest and wordiest of these models; reliability and agreement as shares of 100%";

export function radarPanel(rows: readonly ModelProfileRow[], rect: Rect): Panel {
  const ordered = [...requireRows(rows, "model radar")].sort((a, b) => (b.rating ?? -Infinity) - (a.rating ?? -Infinity) || a.model.localeCompare(b.model));
  const scaled = scaleProfiles(ordered);
  const frame = panelFrame(rect, "Model profiles");
  const area: Rect = { ...frame.plot, height: frame.plot.height - NOTE_HEIGHT };
  const { columns, cell, radius } = smallMultiples(ordered.length, area);
  const captions: TitleComponentOption[] = [];
  const radars: RadarComponentOption[] = [];
  const series: RadarSeriesOption[] = [];
  ordered.forEach((row, index) => {
    const left = area.left + (index % columns) * cell.width;
    const centerY = area.top + Math.floor(index / columns) * cell.height + CAPTION_HEIGHT + (cell.height - CAPTION_HEIGHT) / 2;
    captions.push({
      // Bold text runs wider than the regular widths fitText measures: a margin for it.
      text: fitText(row.model, cell.width - 32, FONT_SIZE.label),
      left: left + cell.width / 2,
      top: centerY - radius - NAME_ROOM.top - CAPTION_HEIGHT,
      textAlign: "center",
      padding: 0,
      textStyle: { ...labelStyle(CARD.text), fontWeight: "bold" },
    });
    radars.push({
      center: [left + cell.width / 2, centerY],
      radius,
      startAngle: 90,
      splitNumber: 4,
      indicator: RADAR_AXES.map((axis, axisIndex) => ({ name: `${axis}\n${rawFigure(row, axisIndex)}`, max: 1, min: 0 })),
      axisName: { ...labelStyle(), lineHeight: 17 },
      axisNameGap: 6,
      axisLine: { lineStyle: { color: CARD.axisLine } },
      // The rings a shade brighter than the bar charts' grid lines: a radar is read off them.
      splitLine: { lineStyle: { color: CARD.axisLine, opacity: 0.5 } },
      splitArea: { show: false },
    });
    series.push({
      type: "radar",
      radarIndex: index,
      symbol: "circle",
      symbolSize: 5,
      lineStyle: { color: SERIES.sky, width: 2 },
      itemStyle: { color: SERIES.sky },
      areaStyle: { color: SERIES.sky, opacity: 0.3 },
      data: [{ value: scaled[index] ?? [], name: row.model }],
    });
  });
  const note: TitleComponentOption = { text: NOTE, left: area.left, top: area.top + area.height + 8, padding: 0, textStyle: { ...labelStyle(), fontWeight: "normal" } };
  return { title: [frame.title, ...captions, note], radar: radars, series };
}

export async function renderModelRadar(rows: readonly ModelProfileRow[]): Promise<Buffer> {
  return renderPng([radarPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE })], SINGLE_CHART_SIZE);
}

/**
 * The grid of cells that gives the radars the largest radius: a wide panel puts them in one
 * row, a 16:9 chart puts four in two rows of two, eight in two rows of four.
 */
function smallMultiples(count: number, area: Rect) {
  const layouts = Array.from({ length: count }, (_, index) => {
    const columns = index + 1;
    const cell = { width: area.width / columns, height: area.height / Math.ceil(count / columns) };
    const radius = Math.min(MAX_RADIUS, cell.width / 2 - NAME_ROOM.side, (cell.height - CAPTION_HEIGHT) / 2 - NAME_ROOM.top);
    return { columns, cell, radius };
  });
  const best = layouts.reduce((best, layout) => (layout.radius > best.radius ? layout : best));
  return { ...best, radius: Math.max(MIN_RADIUS, best.radius) };
}

function rawFigure(row: ModelProfileRow, axisIndex: number): string {
  const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)}%`);
  const figures = [
    row.rating === null ? "–" : String(Math.round(row.rating)),
    row.tokensPerSecond === null ? "–" : `${Math.round(row.tokensPerSecond)} tok/s`,
    percent(row.reliability),
    percent(row.agreement),
    row.completionTokensPerAnswer === null ? "–" : `${Math.round(row.completionTokensPerAnswer)} tok`,
  ];
  return figures[axisIndex] ?? "";
}
