import type { EvalReport } from "./report.js";

// The report as the terminal shows it: one row per strategy, then the paired comparisons.

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const points = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value * 100).toFixed(1)}`;

export function reportLines(report: EvalReport): string[] {
  const header = ["strategy", "kind", "accuracy", "95% interval", "tokens/item", "s/item"];
  const rows = report.strategies.map((one) => [
    one.name,
    one.kind,
    `${percent(one.accuracy)} (${one.correct}/${report.items})`,
    `${percent(one.interval[0])}–${percent(one.interval[1])}`,
    Math.round(one.tokensPerItem).toLocaleString("en-US"),
    one.secondsPerItem.toFixed(2),
  ]);
  const lines = [`Preset ${report.preset}, ${report.items} item${report.items === 1 ? "" : "s"}${report.bestMember ? `; best member alone: ${report.bestMember}` : ""}`, "", ...table(header, rows)];
  if (report.budget) lines.push("", `Equal budget: ${report.budget.model} answers ${report.budget.k} times and votes, spending about what ${report.budget.matches} spends.`);
  if (report.comparisons.length > 0) {
    lines.push("", "Paired comparisons (difference in accuracy, in points; 95% bootstrap interval; McNemar's exact p; items only A / only B got right):");
    lines.push(
      ...table(
        ["A", "B", "difference", "95% interval", "p", "only A / only B"],
        report.comparisons.map((one) => [one.a, one.b, points(one.difference), `${points(one.interval[0])} to ${points(one.interval[1])}`, pValue(one.pValue), `${one.onlyA} / ${one.onlyB}`]),
      ),
    );
  }
  return lines;
}

function pValue(p: number): string {
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  return [header, ...rows].map((cells) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ").trimEnd());
}
