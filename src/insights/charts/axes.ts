import type { XAXisComponentOption, YAXisComponentOption } from "echarts";
import { fitText } from "./fit-text.js";
import { CARD, FONT_SIZE, labelStyle } from "./theme.js";

// The axes the bar charts and the timeline share: rows of names down the left side, a column of
// figures down the right, and a value scale along the bottom.

/** Rows named down the left side, first row at the top, each name cut to `maxWidth` px. */
export function rowAxis(names: readonly string[], maxWidth: number): YAXisComponentOption {
  return {
    type: "category",
    inverse: true,
    data: names.map((name) => fitText(name, maxWidth, FONT_SIZE.label)),
    axisTick: { show: false },
    axisLine: { lineStyle: { color: CARD.axisLine } },
    axisLabel: { ...labelStyle(CARD.text), margin: 10 },
  };
}

interface ValueRange {
  min?: number;
  max?: number;
  /** Leave 0 out when the values are far from it (ratings around 1000). */
  scale?: boolean;
  /** 1 for counts, so that a scale of small counts has no ticks between whole numbers. */
  minInterval?: number;
  /** Room past the largest value, for the labels at the bars' ends. */
  boundaryGap?: [number, string];
}

/** Figures down the right side, one per row, each in its colour and cut at its end. */
export function figureColumn(labels: readonly { text: string; color: string }[], maxWidth: number): YAXisComponentOption {
  return {
    type: "category",
    position: "right",
    inverse: true,
    data: labels.map((label) => ({ value: fitText(label.text, maxWidth, FONT_SIZE.label, "end"), textStyle: { color: label.color } })),
    axisTick: { show: false },
    axisLine: { show: false },
    axisLabel: { ...labelStyle(), margin: 14 },
  };
}

/** A value scale along the bottom with light grid lines; `name` says the unit under it. */
export function valueAxis(name: string, formatter: (value: number) => string, range: ValueRange = {}): XAXisComponentOption {
  return {
    type: "value",
    ...range,
    name,
    nameLocation: "middle",
    nameGap: 32,
    nameTextStyle: labelStyle(),
    axisLabel: { ...labelStyle(), formatter },
    axisLine: { show: true, lineStyle: { color: CARD.axisLine } },
    splitLine: { lineStyle: { color: CARD.gridLine } },
  };
}

/** How wide a panel lets its row names be: most of a narrow panel's width must stay for bars. */
export function rowNameWidth(panelWidth: number): number {
  return Math.min(300, Math.round(panelWidth * 0.3));
}
