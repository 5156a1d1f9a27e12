import type {
  EChartsOption,
  GridComponentOption,
  LegendComponentOption,
  RadarComponentOption,
  SeriesOption,
  TitleComponentOption,
  XAXisComponentOption,
  YAXisComponentOption,
} from "echarts";

// A chart is drawn as a panel: its part of an ECharts option, laid out inside a rectangle, with
// grid, axis and radar indices counted from 0 within the panel. A single chart is one panel on
// its own canvas; the dashboard puts five on one canvas, composeOption shifting each panel's
// indices past the panels before it. One ECharts instance draws them all, so the dashboard is
// made exactly as the single charts are.

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Panel {
  title?: TitleComponentOption[];
  legend?: LegendComponentOption[];
  grid?: GridComponentOption[];
  xAxis?: XAXisComponentOption[];
  yAxis?: YAXisComponentOption[];
  radar?: RadarComponentOption[];
  series: SeriesOption[];
}

interface Offsets {
  grid: number;
  xAxis: number;
  yAxis: number;
  radar: number;
}

export function composeOption(panels: readonly Panel[]): EChartsOption {
  const title: TitleComponentOption[] = [];
  const legend: LegendComponentOption[] = [];
  const grid: GridComponentOption[] = [];
  const xAxis: XAXisComponentOption[] = [];
  const yAxis: YAXisComponentOption[] = [];
  const radar: RadarComponentOption[] = [];
  const series: SeriesOption[] = [];
  for (const panel of panels) {
    const offsets: Offsets = { grid: grid.length, xAxis: xAxis.length, yAxis: yAxis.length, radar: radar.length };
    title.push(...(panel.title ?? []));
    legend.push(...(panel.legend ?? []));
    grid.push(...(panel.grid ?? []));
    xAxis.push(...(panel.xAxis ?? []).map((axis) => ({ ...axis, gridIndex: offsets.grid + (axis.gridIndex ?? 0) })));
    yAxis.push(...(panel.yAxis ?? []).map((axis) => ({ ...axis, gridIndex: offsets.grid + (axis.gridIndex ?? 0) })));
    radar.push(...(panel.radar ?? []));
    series.push(...panel.series.map((one) => shiftSeries(one, offsets)));
  }
  return { title, legend, grid, xAxis, yAxis, radar, series };
}

function shiftSeries(series: SeriesOption, offsets: Offsets): SeriesOption {
  if (series.type === "radar") return { ...series, radarIndex: offsets.radar + (series.radarIndex ?? 0) };
  const cartesian = series as { xAxisIndex?: number; yAxisIndex?: number };
  return { ...series, xAxisIndex: offsets.xAxis + (cartesian.xAxisIndex ?? 0), yAxisIndex: offsets.yAxis + (cartesian.yAxisIndex ?? 0) } as SeriesOption;
}
