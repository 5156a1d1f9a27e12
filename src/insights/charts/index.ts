// Charts as PNG bytes, for chat to attach and the terminal to write: platform-free, each from
// plain rows that the statistics map to. Sizes: SINGLE_CHART_SIZE, DASHBOARD_SIZE, and
// timelineSize for a council's timeline, which grows with its calls.

export { ChartInputError } from "./chart-input-error.js";
export { renderCouncilTimeline, timelineSize, type TimelineCall } from "./council-timeline.js";
export { dashboardTitle, renderDashboard, type DashboardInput } from "./dashboard.js";
export { renderLatencyPerModel, type ModelLatencyRow } from "./latency-per-model.js";
export { renderLeaderboard, type LeaderboardRow } from "./leaderboard.js";
export { renderModelRadar } from "./model-radar.js";
export type { ModelProfileRow } from "./radar-scale.js";
export { renderStageTimes, type StageTimeRow } from "./stage-times.js";
export { DASHBOARD_SIZE, SINGLE_CHART_SIZE, type ChartSize } from "./theme.js";
export { renderTokensPerModel, type ModelTokensRow } from "./tokens-per-model.js";
