import { ChartInputError } from "./chart-input-error.js";
import { latencyPanel, type ModelLatencyRow } from "./latency-per-model.js";
import { leaderboardPanel, type LeaderboardRow } from "./leaderboard.js";
import { radarPanel } from "./model-radar.js";
import type { Panel, Rect } from "./panel.js";
import { panelFrame } from "./panel-frame.js";
import type { ModelProfileRow } from "./radar-scale.js";
import { renderPng } from "./render-png.js";
import { stageTimesPanel, type StageTimeRow } from "./stage-times.js";
import { CARD, DASHBOARD_SIZE, FONT_SIZE, PANEL_PADDING, labelStyle } from "./theme.js";
import { tokensPanel, type ModelTokensRow } from "./tokens-per-model.js";

// The one image chat posts for a period: a title line, then the leaderboard and tokens, the
// latency and stage times, and the model radars across the bottom (they need the width: four
// radars a row). A panel whose rows are empty says so in its place; no rows at all is an error.

export interface DashboardInput {
  /** The period as the reader should see it: "last 7 days", "all time". */
  period: string;
  /** The preset the statistics are limited to; absent for all presets. */
  preset?: string;
  councils: number;
  leaderboard: readonly LeaderboardRow[];
  tokens: readonly ModelTokensRow[];
  latency: readonly ModelLatencyRow[];
  stages: readonly StageTimeRow[];
  profiles: readonly ModelProfileRow[];
}

const HEADER_HEIGHT = 60;
const HALF = DASHBOARD_SIZE.width / 2;
const ROW_HEIGHT = 400;

/** "council · last 7 days · preset balanced · 42 councils". */
export function dashboardTitle(input: Pick<DashboardInput, "period" | "preset" | "councils">): string {
  const preset = input.preset === undefined ? "all presets" : `preset ${input.preset}`;
  return `council · ${input.period} · ${preset} · ${input.councils} council${input.councils === 1 ? "" : "s"}`;
}

export async function renderDashboard(input: DashboardInput): Promise<Buffer> {
  const lists = [input.leaderboard, input.tokens, input.latency, input.stages, input.profiles];
  if (lists.every((rows) => rows.length === 0)) {
    throw new ChartInputError("dashboard: every list is empty; pass the period's statistics, or show a \"no councils in this period\" text instead of a chart");
  }
  const row = (index: number, column: number): Rect => ({ left: column * HALF, top: HEADER_HEIGHT + index * ROW_HEIGHT, width: HALF, height: ROW_HEIGHT });
  const bottom: Rect = { left: 0, top: HEADER_HEIGHT + 2 * ROW_HEIGHT, width: DASHBOARD_SIZE.width, height: DASHBOARD_SIZE.height - HEADER_HEIGHT - 2 * ROW_HEIGHT };
  const header: Panel = {
    title: [{ text: dashboardTitle(input), left: PANEL_PADDING, top: PANEL_PADDING, padding: 0, textStyle: { color: CARD.text, fontSize: FONT_SIZE.heading, fontWeight: "bold" } }],
    series: [],
  };
  return renderPng(
    [
      header,
      orEmpty(input.leaderboard, (rows, rect) => leaderboardPanel(rows, rect), row(0, 0), "Peer rating"),
      orEmpty(input.tokens, (rows, rect) => tokensPanel(rows, rect), row(0, 1), "Tokens per model"),
      orEmpty(input.latency, (rows, rect) => latencyPanel(rows, rect), row(1, 0), "Latency per model"),
      orEmpty(input.stages, (rows, rect) => stageTimesPanel(rows, rect), row(1, 1), "Time per stage"),
      orEmpty(input.profiles, (rows, rect) => radarPanel(rows, rect), bottom, "Model profiles"),
    ],
    DASHBOARD_SIZE,
  );
}

/** The panel, or its title over "nothing recorded in this period" when it has no rows. */
function orEmpty<T>(rows: readonly T[], panel: (rows: readonly T[], rect: Rect) => Panel, rect: Rect, title: string): Panel {
  if (rows.length > 0) return panel(rows, rect);
  const frame = panelFrame(rect, title);
  const message = { text: "nothing recorded in this period", left: frame.plot.left, top: frame.plot.top + 8, padding: 0, textStyle: { ...labelStyle(), fontWeight: "normal" as const } };
  return { title: [frame.title, message], series: [] };
}
