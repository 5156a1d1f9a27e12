import { describe, expect, it } from "vitest";
import { leaderboardPanel } from "./leaderboard.js";
import { timelinePanel } from "./council-timeline.js";
import { radarPanel } from "./model-radar.js";
import type { Panel } from "./panel.js";
import { tokensPanel } from "./tokens-per-model.js";
import {
  ChartInputError,
  DASHBOARD_SIZE,
  SINGLE_CHART_SIZE,
  dashboardTitle,
  renderCouncilTimeline,
  renderDashboard,
  renderLatencyPerModel,
  renderLeaderboard,
  renderModelRadar,
  renderStageTimes,
  renderTokensPerModel,
  timelineSize,
  type ChartSize,
  type DashboardInput,
  type LeaderboardRow,
  type ModelProfileRow,
  type TimelineCall,
} from "./index.js";
import { pngSize } from "../../../test-support/png-size.js";

/** The texts down a panel's row axis (0: the names on the left, 1: the figures on the right). */
function rowTexts(panel: Panel, axis: number): string[] {
  const data = (panel.yAxis?.[axis] as { data?: (string | { value: string })[] } | undefined)?.data ?? [];
  return data.map((item) => (typeof item === "string" ? item : item.value));
}

const LONG_NAME = "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M";
const MODELS = ["qwen2.5:7b", LONG_NAME, "mistral:7b-instruct", "gemma2:9b", "phi3:mini", "llava:13b", "deepseek-r1:8b", "llama3.1:8b"];

function leaderboard(models: readonly string[]): LeaderboardRow[] {
  return models.map((model, index) => ({ model, rating: 1100 - 30 * index, low: 1060 - 30 * index, high: 1140 - 30 * index, comparisons: 100 + index }));
}

function profiles(models: readonly string[]): ModelProfileRow[] {
  return models.map((model, index) => ({ model, rating: 1100 - 30 * index, tokensPerSecond: 20 + 5 * index, reliability: 1 - index / 20, agreement: 0.5 + index / 20, completionTokensPerAnswer: 300 + 40 * index }));
}

function dashboard(models: readonly string[]): DashboardInput {
  return {
    period: "last 7 days",
    preset: "balanced",
    councils: 42,
    leaderboard: leaderboard(models),
    tokens: models.map((model, index) => ({ model, promptTokens: 10_000 * (index + 1), completionTokens: 3_000 * (index + 1) })),
    latency: models.map((model, index) => ({ model, medianSeconds: 2 + index, p90Seconds: 4 + 2 * index, firstTokenMedianSeconds: 0.3 + index / 10 })),
    stages: [
      { stage: "answers", medianSeconds: 12.5, p90Seconds: 21 },
      { stage: "review", medianSeconds: 9.8, p90Seconds: 16.2 },
      { stage: "synthesis", medianSeconds: 7.4, p90Seconds: 11.9 },
    ],
    profiles: profiles(models),
  };
}

const CALLS: TimelineCall[] = [
  { label: "alice", model: "qwen2.5:7b", stage: "answers", startMs: 0, firstTokenMs: 400, endMs: 6_000 },
  { label: "bob", model: LONG_NAME, stage: "answers", startMs: 10, firstTokenMs: 700, endMs: 8_500 },
  { label: "erin", model: "phi3:mini", stage: "answers", startMs: 20, endMs: 30_000, failure: "timed out after 30 s" },
  { label: "alice", model: "qwen2.5:7b", stage: "review", startMs: 30_100, endMs: 36_000 },
  { label: "bob", model: LONG_NAME, stage: "review", startMs: 30_110, endMs: 39_600, failure: "invalid ballot after one repair" },
  { label: "chairman", model: "llama3.1:8b", stage: "synthesis", startMs: 43_500, firstTokenMs: 1_200, endMs: 52_000 },
];

describe("each chart renders a PNG of its stated size", () => {
  it.each([
    ["leaderboard", () => renderLeaderboard(leaderboard(MODELS.slice(0, 5)))],
    ["tokens per model", () => renderTokensPerModel(dashboard(MODELS).tokens)],
    ["latency per model", () => renderLatencyPerModel(dashboard(MODELS).latency)],
    ["time per stage", () => renderStageTimes(dashboard(MODELS).stages)],
    ["model radar", () => renderModelRadar(profiles(MODELS.slice(0, 3)))],
  ])("%s: 1200 × 675", async (_name, render) => {
    expect(pngSize(await render())).toEqual(SINGLE_CHART_SIZE);
  });

  it("the dashboard: 1600 × 1500, well within Discord's and Slack's file limits", async () => {
    const png = await renderDashboard(dashboard(MODELS));
    expect(pngSize(png)).toEqual(DASHBOARD_SIZE);
    expect(png.length).toBeLessThan(1024 * 1024);
  });

  it("the timeline: 1200 × 675 for a few calls, taller for many", async () => {
    expect(pngSize(await renderCouncilTimeline(CALLS))).toEqual({ width: 1200, height: 675 });
    const many = Array.from({ length: 30 }, (_, index) => ({ label: `member ${index}`, model: "qwen2.5:7b", stage: "review", startMs: index * 100, endMs: 5_000 + index * 100 }));
    expect(timelineSize(30)).toEqual({ width: 1200, height: 970 });
    expect(pngSize(await renderCouncilTimeline(many))).toEqual(timelineSize(30));
  });

  it("the same data gives the same bytes (no animation, nothing random)", async () => {
    const first = await renderLeaderboard(leaderboard(MODELS));
    expect((await renderLeaderboard(leaderboard(MODELS))).equals(first)).toBe(true);
  });
});

describe("edge cases", () => {
  it("one model and eight models render every chart", async () => {
    for (const models of [MODELS.slice(0, 1), MODELS]) {
      const input = dashboard(models);
      expect(pngSize(await renderLeaderboard(input.leaderboard))).toEqual(SINGLE_CHART_SIZE);
      expect(pngSize(await renderTokensPerModel(input.tokens))).toEqual(SINGLE_CHART_SIZE);
      expect(pngSize(await renderLatencyPerModel(input.latency))).toEqual(SINGLE_CHART_SIZE);
      expect(pngSize(await renderModelRadar(input.profiles))).toEqual(SINGLE_CHART_SIZE);
      expect(pngSize(await renderDashboard(input))).toEqual(DASHBOARD_SIZE);
    }
  });

  it("a model with no rating is listed last as 'no comparisons', the best on top", async () => {
    const rows: LeaderboardRow[] = [
      { model: "unrated", rating: null, low: null, high: null, comparisons: 0 },
      { model: "second", rating: 990, low: 950, high: 1030, comparisons: 40 },
      { model: "first", rating: 1050, low: 1000, high: 1100, comparisons: 1 },
    ];
    const panel = leaderboardPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE });
    expect(rowTexts(panel, 0)).toEqual(["first", "second", "unrated"]);
    expect(rowTexts(panel, 1)).toEqual(["1050 (1000–1100) · 1 comparison", "990 (950–1030) · 40 comparisons", "no comparisons"]);
    expect(pngSize(await renderLeaderboard(rows))).toEqual(SINGLE_CHART_SIZE);
    expect(pngSize(await renderLeaderboard([rows[0]!]))).toEqual(SINGLE_CHART_SIZE);
  });

  it("a long model name is cut in its middle with an ellipsis, keeping both ends", () => {
    const [label = ""] = rowTexts(leaderboardPanel(leaderboard([LONG_NAME]), { left: 0, top: 0, ...SINGLE_CHART_SIZE }), 0);
    expect(label).toContain("…");
    expect(label.startsWith("hf.co/")).toBe(true);
    expect(label.endsWith("Q4_K_M")).toBe(true);
  });

  it("a rating the comparisons could not give says so with their number", () => {
    const rows: LeaderboardRow[] = [{ model: "never wins", rating: null, low: null, high: null, comparisons: 3 }];
    expect(rowTexts(leaderboardPanel(rows, { left: 0, top: 0, ...SINGLE_CHART_SIZE }), 1)).toEqual(["no rating · 3 comparisons"]);
  });

  it("radars take the grid that gives them the largest radius: 2 × 2 for four on 16:9, one row in a wide band", () => {
    const columnsOf = (rect: { width: number; height: number }) => {
      const radars = radarPanel(profiles(MODELS.slice(0, 4)), { left: 0, top: 0, ...rect }).radar ?? [];
      return new Set(radars.map((radar) => (radar.center as number[])[0])).size;
    };
    expect(columnsOf(SINGLE_CHART_SIZE)).toBe(2);
    expect(columnsOf({ width: 1600, height: 640 })).toBe(4);
  });

  it("zero tokens: a scale of whole tokens, no fractional ticks", () => {
    const panel = tokensPanel([{ model: "idle", promptTokens: 0, completionTokens: 0 }], { left: 0, top: 0, ...SINGLE_CHART_SIZE });
    expect(panel.xAxis?.[0]).toMatchObject({ minInterval: 1 });
  });

  it("zero tokens and a missing first-token time draw without error", async () => {
    expect(pngSize(await renderTokensPerModel([{ model: "idle", promptTokens: 0, completionTokens: 0 }]))).toEqual(SINGLE_CHART_SIZE);
    expect(pngSize(await renderLatencyPerModel([{ model: "batch", medianSeconds: 3, p90Seconds: 5 }]))).toEqual(SINGLE_CHART_SIZE);
  });

  it("an empty stage list: the stage chart refuses it, the dashboard says so in the panel", async () => {
    await expect(renderStageTimes([])).rejects.toThrow(ChartInputError);
    expect(pngSize(await renderDashboard({ ...dashboard(MODELS), stages: [] }))).toEqual(DASHBOARD_SIZE);
  });

  it("a timeline with failed calls and calls without a first token says why each failed", async () => {
    expect(rowTexts(timelinePanel(CALLS, { left: 0, top: 0, ...SINGLE_CHART_SIZE }), 1)).toEqual(["6.0 s · first token 0.40 s", "8.5 s · first token 0.70 s", "failed after 30.0 s: timed out after 30 s", "5.9 s", "failed after 9.5 s: invalid ballot after one repair", "8.5 s · first token 1.2 s"]);
    expect(pngSize(await renderCouncilTimeline(CALLS))).toEqual(timelineSize(CALLS.length));
  });

  it("the timeline groups calls by stage in the order the stages started", () => {
    const shuffled = [CALLS[5]!, CALLS[3]!, CALLS[0]!, CALLS[4]!, CALLS[2]!, CALLS[1]!];
    const names = rowTexts(timelinePanel(shuffled, { left: 0, top: 0, ...SINGLE_CHART_SIZE }), 0);
    expect(names.map((name) => name.split(" · ")[0])).toEqual(["alice", "bob", "erin", "alice", "bob", "chairman"]);
  });
});

describe("bad input is refused with a clear error", () => {
  it.each([
    ["leaderboard", () => renderLeaderboard([]), /leaderboard: no rows to draw/],
    ["tokens", () => renderTokensPerModel([]), /tokens per model: no rows to draw/],
    ["latency", () => renderLatencyPerModel([]), /latency per model: no rows to draw/],
    ["radar", () => renderModelRadar([]), /model radar: no rows to draw/],
    ["timeline", () => renderCouncilTimeline([]), /council timeline: no rows to draw/],
    ["dashboard", () => renderDashboard({ ...dashboard([]), stages: [], councils: 0 }), /dashboard: every list is empty/],
  ])("%s with no rows", async (_name, render, message) => {
    await expect(render()).rejects.toThrow(message);
  });

  it.each([
    ["an interval with one end", () => renderLeaderboard([{ model: "m", rating: 1000, low: 950, high: null, comparisons: 3 }]), /low and high give the interval together/],
    ["a rating that is not a number", () => renderLeaderboard([{ model: "m", rating: Number.NaN, low: null, high: null, comparisons: 3 }]), /leaderboard row m: rating is NaN/],
    ["a call that ends before it starts", () => renderCouncilTimeline([{ label: "a", model: "m", stage: "answers", startMs: 500, endMs: 100 }]), /runs from 500 ms to 100 ms/],
    ["a first token after the call's end", () => renderCouncilTimeline([{ label: "a", model: "m", stage: "answers", startMs: 0, firstTokenMs: 900, endMs: 100 }]), /firstTokenMs is 900/],
    ["a share above 1", () => renderModelRadar([{ ...profiles(["m"])[0]!, reliability: 95 }]), /reliability is 95; pass a share between 0 and 1/],
  ])("%s", async (_name, render, message) => {
    await expect(render()).rejects.toThrow(message);
  });
});

describe("dashboardTitle", () => {
  it("names the period, the preset or all presets, and the councils", () => {
    expect(dashboardTitle({ period: "last 7 days", preset: "balanced", councils: 42 })).toBe("council · last 7 days · preset balanced · 42 councils");
    expect(dashboardTitle({ period: "all time", councils: 1 })).toBe("council · all time · all presets · 1 council");
  });
});
