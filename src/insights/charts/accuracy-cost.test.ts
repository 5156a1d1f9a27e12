import { describe, expect, it } from "vitest";
import { type AccuracyCostRow, accuracyCostPanel, renderAccuracyCost } from "./accuracy-cost.js";
import { ChartInputError } from "./chart-input-error.js";

const row = (overrides: Partial<AccuracyCostRow> = {}): AccuracyCostRow => ({ name: "vote", kind: "council", accuracy: 0.8, interval: [0.7, 0.9], tokensPerItem: 600, ...overrides });

describe("accuracy against tokens", () => {
  it("draws a PNG of every kind", async () => {
    const png = await renderAccuracyCost([row(), row({ name: "qwen2.5:3b", kind: "member", accuracy: 0.6, interval: [0.5, 0.7], tokensPerItem: 80 }), row({ name: "members' majority", kind: "majority" }), row({ name: "qwen ×7", kind: "budget-vote" })]);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("names strategies of about the same cost and accuracy once, together, instead of over each other", () => {
    const panel = accuracyCostPanel([row({ name: "best-of" }), row({ name: "weighted", accuracy: 0.81 }), row({ name: "synthesis", tokensPerItem: 1300 })], { left: 0, top: 0, width: 1200, height: 675 }, "t");
    const labels = panel.series.flatMap((series) => (series.type === "scatter" ? (series.data as Array<[number, number, string]>).map((point) => point[2]) : []));
    expect(labels).toEqual(["best-of, weighted", "", "synthesis"]);
  });

  it.each([
    [[], /no rows to draw/],
    [[row({ accuracy: 80 })], /row vote: accuracy is 80; pass a share from 0 to 1/],
    [[row({ tokensPerItem: 0 })], /row vote: tokensPerItem is 0; pass a number above 0/],
    [[row({ interval: [Number.NaN, 1] })], /row vote: interval low is NaN/],
  ])("refuses rows it cannot draw: %#", async (rows, message) => {
    await expect(renderAccuracyCost(rows as AccuracyCostRow[])).rejects.toThrow(ChartInputError);
    await expect(renderAccuracyCost(rows as AccuracyCostRow[])).rejects.toThrow(message);
  });
});
