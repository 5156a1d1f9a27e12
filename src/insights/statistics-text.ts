import type { Statistics } from "./statistics.js";

// The statistics as plain lines for chat and the terminal: a title, the leaderboard as a table
// for a monospaced block, and a line of totals. The image carries the rest.

export function statisticsTitle(statistics: Statistics): string {
  const scope = statistics.preset === undefined ? "all presets" : `preset ${statistics.preset}`;
  const { total, byStatus } = statistics.councils;
  const statuses = Object.entries(byStatus)
    .map(([status, count]) => `${count} ${status}`)
    .join(", ");
  return `council statistics · ${statistics.periodText} · ${scope} · ${total} council${total === 1 ? "" : "s"}${total > 0 ? ` (${statuses})` : ""}`;
}

/** Said instead of an empty chart. */
export function noCouncilsText(statistics: Statistics): string {
  const scope = statistics.preset === undefined ? "" : ` with the preset ${statistics.preset}`;
  return `No councils were recorded in ${statistics.periodText}${scope}: ask one, or choose a longer period (all).`;
}

const MODEL_WIDTH = 28;

/** The leaderboard as aligned columns: rank, model, rating and its interval, comparisons, times first, answers, median latency, speed. */
export function leaderboardTable(statistics: Statistics): string[] {
  const header = ["#", "model", "rating", "95% interval", "pairs", "1st", "answers", "median", "tok/s"];
  const rows = statistics.models.map((model, index) => [
    model.rating.rating === null ? "–" : String(index + 1),
    fit(model.model),
    model.rating.rating === null ? "–" : model.rating.rating.toFixed(0),
    model.rating.interval ? `${model.rating.interval[0].toFixed(0)}–${model.rating.interval[1].toFixed(0)}` : "–",
    String(model.rating.comparisons),
    String(model.rankedFirst),
    String(model.answers),
    model.medianLatencyMs === null ? "–" : `${(model.medianLatencyMs / 1000).toFixed(1)} s`,
    model.tokensPerSecond === null ? "–" : model.tokensPerSecond.toFixed(0),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 1 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Tokens, and what they would have cost on the reference cloud model when the presets file names one. */
export function totalsLine(statistics: Statistics): string {
  const { tokens, cost } = statistics;
  const used = `${compact(tokens.promptTokens)} prompt and ${compact(tokens.completionTokens)} completion tokens in ${tokens.calls} model calls`;
  if (!cost) return `${used}.`;
  return `${used}; on ${cost.name} they would have cost about ${cost.cost.toFixed(2)} ${cost.currency}.`;
}

function compact(count: number): string {
  if (count >= 1_000_000) return `${(count / 1_000_000).toFixed(1)}M`;
  if (count >= 10_000) return `${(count / 1000).toFixed(0)}k`;
  return String(count);
}

function fit(model: string): string {
  return model.length <= MODEL_WIDTH ? model : `${model.slice(0, MODEL_WIDTH - 1)}…`;
}
