// How every front end writes numbers, durations and model text: the terminal, Discord and
// Slack say "4.2 s" and "1,234 tokens" the same way.

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor(seconds / 60) % 60).padStart(2, "0")} min`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

export function formatTokens(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "token" : "tokens"}`;
}

// Control characters in a model's text (ESC above all) would move the cursor or recolour the
// terminal, and break the line counting the live redraw depends on; tabs would break widths.
// Newlines are kept; callers that need one line collapse them with oneLine.
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|[\p{Cc}\u2028\u2029]/gu;

export function printable(text: string): string {
  return text.replace(/\t/g, "  ").replace(/\r\n?/g, "\n").replace(CONTROL, (match) => (match === "\n" ? "\n" : ""));
}

export function oneLine(text: string): string {
  return printable(text).replace(/\s+/g, " ").trim();
}
