import type { CustomSeriesOption, CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from "echarts";
import { figureColumn, rowAxis, valueAxis } from "./axes.js";
import { ChartInputError, requireFinite, requireRows } from "./chart-input-error.js";
import { formatSeconds, formatSecondsTick } from "./figures.js";
import type { Panel, Rect } from "./panel.js";
import { panelFrame } from "./panel-frame.js";
import { renderPng } from "./render-png.js";
import { CARD, SERIES, SINGLE_CHART_SIZE, type ChartSize, labelStyle } from "./theme.js";

// One council's model calls as a Gantt chart: a row per call, grouped by stage in the order the
// stages ran, each bar from the call's start to its end, light until its first token came and
// solid after; failed calls in vermillion with their reason in the column on the right. The
// x axis counts seconds from the council's start, so a user sees where the time went.

export interface TimelineCall {
  /** The member's name (or "chairman"). */
  label: string;
  model: string;
  stage: string;
  /** From the council's start. */
  startMs: number;
  /** From the call's start to its first streamed token; absent when none streamed (structured ballots). */
  firstTokenMs?: number;
  /** From the council's start. */
  endMs: number;
  /** Why the call failed; absent when it succeeded. */
  failure?: string;
}

const ROW_HEIGHT = 26;
/** Title, legend, axis and note around the rows. */
const CHROME_HEIGHT = 190;
const STAGE_COLORS = [SERIES.sky, SERIES.yellow, SERIES.green, SERIES.purple];
const FAILED = "failed";
const NOTE = "Outlined start of a bar: waiting for the first token. Calls that stream none (ballots) are solid.";

/** A single chart's size, made taller when the calls need it (26 px a call): 1200 × 970 for 30. */
export function timelineSize(callCount: number): ChartSize {
  return { width: SINGLE_CHART_SIZE.width, height: Math.max(SINGLE_CHART_SIZE.height, CHROME_HEIGHT + ROW_HEIGHT * callCount) };
}

export function timelinePanel(calls: readonly TimelineCall[], rect: Rect): Panel {
  const rows = order(requireRows(calls, "council timeline"));
  const stages = [...new Set(rows.map((call) => call.stage))];
  const frame = panelFrame(rect, "Council timeline", [...stages, ...(rows.some((call) => call.failure !== undefined) ? [FAILED] : [])]);
  // [row, start, first token (NaN: none to show), end], in seconds.
  const items = rows.map((call, row) => {
    const firstToken = call.firstTokenMs === undefined || call.failure !== undefined ? Number.NaN : (call.startMs + call.firstTokenMs) / 1000;
    return [row, call.startMs / 1000, firstToken, call.endMs / 1000];
  });
  const bars = (name: string, color: string, shows: (call: TimelineCall) => boolean): CustomSeriesOption => ({
    type: "custom",
    name,
    itemStyle: { color },
    encode: { x: [1, 3], y: 0 },
    data: items.filter((_item, row) => shows(rows[row]!)),
    renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => callBar(api, color),
  });
  const nameWidth = Math.min(320, Math.round(rect.width * 0.27));
  const outcomes = figureColumn(
    rows.map((call) => ({ text: outcome(call), color: call.failure === undefined ? CARD.muted : SERIES.vermillionText })),
    nameWidth,
  );
  const note = { text: NOTE, left: frame.plot.left, top: frame.plot.top + frame.plot.height - 18, padding: 0, textStyle: { ...labelStyle(), fontWeight: "normal" as const } };
  return {
    title: [frame.title, note],
    legend: frame.legend,
    grid: [{ ...frame.grid, height: frame.plot.height - 30 }],
    xAxis: [valueAxis("seconds from the council's start", formatSecondsTick, { min: 0 })],
    yAxis: [rowAxis(rows.map(rowName), nameWidth), outcomes],
    series: [
      stageBands(stages.map((stage) => [rows.findIndex((call) => call.stage === stage), rows.findLastIndex((call) => call.stage === stage)])),
      ...stages.map((stage, index) =>
        bars(stage, STAGE_COLORS[index % STAGE_COLORS.length] ?? SERIES.sky, (call) => call.stage === stage && call.failure === undefined),
      ),
      bars(FAILED, SERIES.vermillion, (call) => call.failure !== undefined),
    ],
  };
}

export async function renderCouncilTimeline(calls: readonly TimelineCall[]): Promise<Buffer> {
  const size = timelineSize(requireRows(calls, "council timeline").length);
  return renderPng([timelinePanel(calls, { left: 0, top: 0, ...size })], size);
}

/** Grouped by stage, the stages in the order they started; within a stage by start, then name. */
function order(calls: readonly TimelineCall[]): TimelineCall[] {
  calls.forEach(check);
  const stageStart = new Map<string, number>();
  for (const call of calls) stageStart.set(call.stage, Math.min(stageStart.get(call.stage) ?? Infinity, call.startMs));
  const start = (call: TimelineCall) => stageStart.get(call.stage) ?? 0;
  return [...calls].sort((a, b) => start(a) - start(b) || a.stage.localeCompare(b.stage) || a.startMs - b.startMs || a.label.localeCompare(b.label));
}

function check(call: TimelineCall): void {
  const where = `council timeline call of ${call.label} (${call.stage})`;
  requireFinite(call.startMs, `${where}: startMs`);
  requireFinite(call.endMs, `${where}: endMs`);
  if (call.startMs < 0 || call.endMs < call.startMs) throw new ChartInputError(`${where}: runs from ${call.startMs} ms to ${call.endMs} ms; pass a start of 0 or more and an end no earlier than it`);
  if (call.firstTokenMs !== undefined && !(call.firstTokenMs >= 0 && call.firstTokenMs <= call.endMs - call.startMs)) {
    throw new ChartInputError(`${where}: firstTokenMs is ${call.firstTokenMs}; pass the time from the call's start, within the call, or leave it out`);
  }
}

function rowName(call: TimelineCall): string {
  return call.label === call.model ? call.label : `${call.label} · ${call.model}`;
}

function outcome(call: TimelineCall): string {
  const duration = formatSeconds((call.endMs - call.startMs) / 1000);
  if (call.failure !== undefined) return `failed after ${duration}: ${call.failure}`;
  return call.firstTokenMs === undefined ? duration : `${duration} · first token ${formatSeconds(call.firstTokenMs / 1000)}`;
}

/** A faint band behind every other stage's rows, so the groups read apart. */
function stageBands(groups: number[][]): CustomSeriesOption {
  return {
    type: "custom",
    silent: true,
    z: 1,
    encode: { y: [0, 1] },
    data: groups.filter((_group, index) => index % 2 === 1),
    renderItem: (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
      const area = params.coordSys as unknown as Rect & { x: number; y: number };
      const band = (api.size?.([0, 1]) as number[])[1] ?? ROW_HEIGHT;
      const [, top = 0] = api.coord([0, api.value(0)]);
      const [, bottom = 0] = api.coord([0, api.value(1)]);
      return { type: "rect", shape: { x: area.x, y: top - band / 2, width: area.width, height: bottom - top + band }, style: { fill: CARD.text, opacity: 0.05 } };
    },
  };
}

/** A call's bar: light from its start to its first token (when one came), solid to its end. */
function callBar(api: CustomSeriesRenderItemAPI, color: string): CustomSeriesRenderItemReturn {
  const row = api.value(0);
  const [startX = 0, y = 0] = api.coord([api.value(1), row]);
  const [endX = 0] = api.coord([api.value(3), row]);
  const firstToken = Number(api.value(2));
  const height = Math.min(((api.size?.([0, 1]) as number[])[1] ?? ROW_HEIGHT) * 0.7, 18);
  const top = y - height / 2;
  const shape = (from: number, to: number) => ({ x: from, y: top, width: Math.max(to - from, 2), height, r: 2 });
  const solid = (from: number) => ({ type: "rect" as const, shape: shape(from, endX), style: { fill: color } });
  if (Number.isNaN(firstToken)) return solid(startX);
  const [tokenX = startX] = api.coord([firstToken, row]);
  // Outlined over a faint fill: a darker shade alone sinks into the dark card.
  const waiting = { type: "rect" as const, shape: shape(startX, tokenX), style: { fill: color, fillOpacity: 0.25, stroke: color, lineWidth: 1.5 } };
  return { type: "group", children: [waiting, solid(tokenX)] };
}
