import type { CheckLine, CheckStatus } from "../../src/doctor/check-line.js";

// The doctor's lines as a terminal shows them: a mark, what was checked, and the fix indented
// under a failure. Plain text, so it reads the same in a pipe or a log.

const MARKS: Record<CheckStatus, string> = { pass: "✓", fail: "✗", warn: "!", skip: "-" };
const FIX_INDENT = "    ";

export function formatSection(title: string, lines: readonly CheckLine[]): string {
  return `${title}\n${lines.map(formatLine).join("")}`;
}

function formatLine(line: CheckLine): string {
  const fix = line.fix ? line.fix.split("\n").map((text, index) => `${FIX_INDENT}${index === 0 ? "fix: " : "     "}${text}\n`).join("") : "";
  return `  ${MARKS[line.status]} ${line.text}\n${fix}`;
}

export function formatSummary(lines: readonly CheckLine[]): string {
  const failed = lines.filter((line) => line.status === "fail").length;
  const checked = lines.filter((line) => line.status === "pass" || line.status === "fail").length;
  return failed === 0 ? `\nAll ${checked} checks passed.\n` : `\n${failed} of ${checked} checks failed; each says what to do.\n`;
}
