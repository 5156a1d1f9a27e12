import type { TimelineCall as ViewTimelineCall } from "../council/view.js";
import { renderCouncilTimeline, renderDashboard, type DashboardInput, type TimelineCall } from "./charts/index.js";
import type { Statistics } from "./statistics.js";

// The statistics and a council's calls as the charts' rows: the one place that knows both shapes.

export function dashboardInput(statistics: Statistics): DashboardInput {
  const timed = statistics.models.filter((model) => model.medianLatencyMs !== null);
  return {
    period: statistics.periodText,
    ...(statistics.preset !== undefined && { preset: statistics.preset }),
    councils: statistics.councils.total,
    leaderboard: statistics.models
      .filter((model) => model.rating.comparisons > 0 || model.answers > 0)
      .map((model) => ({
        model: model.model,
        rating: model.rating.rating,
        low: model.rating.interval?.[0] ?? null,
        high: model.rating.interval?.[1] ?? null,
        comparisons: model.rating.comparisons,
      })),
    tokens: statistics.models.map((model) => ({ model: model.model, promptTokens: model.promptTokens, completionTokens: model.completionTokens })),
    latency: timed.map((model) => ({
      model: model.model,
      medianSeconds: (model.medianLatencyMs ?? 0) / 1000,
      p90Seconds: (model.p90LatencyMs ?? 0) / 1000,
      firstTokenMedianSeconds: model.medianFirstTokenMs === null ? null : model.medianFirstTokenMs / 1000,
    })),
    stages: statistics.stages.map((stage) => ({ stage: stage.stage, medianSeconds: stage.medianMs / 1000, p90Seconds: stage.p90Ms / 1000 })),
    profiles: statistics.models
      .filter((model) => model.answers > 0 || model.rating.comparisons > 0)
      .map((model) => {
        const failed = Object.entries(model.failures).reduce((sum, [kind, count]) => (kind === "abstained" ? sum : sum + count), 0);
        return {
          model: model.model,
          rating: model.rating.rating,
          tokensPerSecond: model.tokensPerSecond,
          reliability: model.calls > 0 ? (model.calls - failed) / model.calls : null,
          agreement: model.agreement,
          completionTokensPerAnswer: model.meanAnswerTokens,
        };
      }),
  };
}

/** The dashboard image of a period's statistics; the caller shows "no councils" text instead when there were none. */
export function renderStatisticsDashboard(statistics: Statistics): Promise<Buffer> {
  return renderDashboard(dashboardInput(statistics));
}

/** A council's timeline image, from the calls its view folded. */
export function renderTimeline(calls: readonly ViewTimelineCall[]): Promise<Buffer> {
  return renderCouncilTimeline(calls.map(timelineRow));
}

function timelineRow(call: ViewTimelineCall): TimelineCall {
  return {
    label: call.member ?? "chairman",
    model: call.model,
    stage: call.stage,
    startMs: call.startMs,
    ...(call.firstTokenMs !== undefined && { firstTokenMs: call.firstTokenMs }),
    endMs: call.startMs + call.wallMs,
    ...(call.failure && { failure: call.failure.kind }),
  };
}
