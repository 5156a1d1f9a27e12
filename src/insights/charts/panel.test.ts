import { describe, expect, it } from "vitest";
import { composeOption, type Panel } from "./panel.js";

describe("composeOption", () => {
  it("shifts each panel's grid, axis and radar indices past the panels before it", () => {
    const bars: Panel = {
      grid: [{}],
      xAxis: [{ type: "value" }],
      yAxis: [{ type: "category" }, { type: "category", position: "right" }],
      series: [{ type: "bar", data: [1] }],
    };
    const radar: Panel = { radar: [{ indicator: [] }], series: [{ type: "radar", data: [] }] };
    const option = composeOption([bars, radar, bars, radar]);
    expect((option.xAxis as { gridIndex: number }[]).map((axis) => axis.gridIndex)).toEqual([0, 1]);
    expect((option.yAxis as { gridIndex: number }[]).map((axis) => axis.gridIndex)).toEqual([0, 0, 1, 1]);
    const series = option.series as { type: string; xAxisIndex?: number; yAxisIndex?: number; radarIndex?: number }[];
    expect(series.filter((one) => one.type === "bar").map((one) => [one.xAxisIndex, one.yAxisIndex])).toEqual([
      [0, 0],
      [1, 2],
    ]);
    expect(series.filter((one) => one.type === "radar").map((one) => one.radarIndex)).toEqual([0, 1]);
  });
});
