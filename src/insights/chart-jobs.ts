import type { TimelineCall } from "../council/view.js";
import type { Statistics } from "./statistics.js";
import { renderStatisticsDashboard, renderTimeline } from "./statistics-charts.js";

// The pictures the bot asks for, as plain data that can cross to the chart process
// (chart-process.ts): a period's dashboard and a council's timeline.

export type ChartJob = { kind: "dashboard"; statistics: Statistics } | { kind: "timeline"; calls: readonly TimelineCall[] };

export function drawChart(job: ChartJob): Promise<Buffer> {
  return job.kind === "dashboard" ? renderStatisticsDashboard(job.statistics) : renderTimeline(job.calls);
}
