import type { DeliberationView, MemberView } from "../../src/council/view.js";
import { displayWidth, fitTail, fitWidth, flow, oneLine, padToWidth, wrap } from "./format.js";
import { consensusText, fileLines, footerSegments, medal, memberStatus, rankingSummary, stageLine, verdictHeading } from "../shared/view-text.js";

// The terminal frame redrawn in place while the council runs. Every line fits `width`
// columns, because a line that wraps would throw off the cursor-up redraw. While running, the
// frame also fits `height` rows, since rows scrolled off the top cannot be redrawn: long texts
// are cut to one line, and when rows run short the ranking shrinks to one line and the
// streaming answer shows its tail. The finished frame is drawn once, in full, with failure
// reasons and the answer wrapped rather than cut, because they say what to do.

export interface FrameSize {
  width: number;
  /** Rows of the terminal; undefined: no limit. */
  height?: number;
}

const INDENT = "  ";
const STATUS_ICONS = { thinking: "…", answered: "✓", failed: "✗" } as const;
// The status keeps at least this many columns; the model column goes first when they run short.
const MIN_STATUS_WIDTH = 24;
const MAX_MODEL_WIDTH = 24;

export function renderLiveFrame(view: DeliberationView, size: FrameSize): string[] {
  const { width } = size;
  const finished = view.status !== "running";
  // Finished: wrap, so nothing the user needs is cut. Running: one line each, so the frame stays short.
  const fit = (text: string, indent = ""): string[] =>
    finished ? wrap(text, width - indent.length).map((line) => indent + line) : [fitWidth(indent + oneLine(text), width)];

  const head = [...fit(stageLine(view)), ...fileLines(view).flatMap((line) => fit(line)), ...memberLines(view.members, width, finished)];
  const warnings = view.warnings.flatMap((warning) => fit(`! ${warning}`, INDENT));
  const footer = footerLines(view, width);
  const answer = view.verdict
    ? { heading: fit(verdictHeading(view)), text: wrap(view.verdict.text.trim(), width - INDENT.length).map((line) => (line === "" ? "" : INDENT + line)) }
    : { heading: [], text: [] };
  const frame = (ranking: string[], answerLines: string[]) =>
    [head, warnings, ranking, answerLines, footer].filter((lines) => lines.length > 0).flatMap((lines, i) => (i === 0 ? lines : ["", ...lines]));

  const full = frame(rankingTable(view, width), [...answer.heading, ...answer.text]);
  // One row stays free for the cursor below the frame.
  const rows = Math.max(1, (size.height ?? Infinity) - 1);
  if (finished || full.length <= rows) return full;
  // Rows run short: the ranking shrinks to one line, and the answer being written shows its tail.
  const ranking = view.ranking ? [fitWidth(INDENT + rankingSummary(view.ranking, view.review), width)] : [];
  const spareRows = rows - frame(ranking, answer.heading).length;
  return frame(ranking, [...answer.heading, ...(spareRows > 0 ? answer.text.slice(-spareRows) : [])]).slice(0, rows);
}

function memberLines(members: readonly MemberView[], width: number, finished: boolean): string[] {
  const fixed = INDENT.length + 2 + 2; // indent, icon and space, gap before the status
  const nameWidth = Math.min(Math.max(0, ...members.map((member) => displayWidth(member.name))), width - fixed - MIN_STATUS_WIDTH);
  const modelWidth = Math.min(MAX_MODEL_WIDTH, Math.max(0, ...members.map((member) => displayWidth(member.model))));
  const withModel = width - fixed - nameWidth - modelWidth - 1 >= MIN_STATUS_WIDTH;
  return members.flatMap((member) => {
    const columns = [STATUS_ICONS[member.status], padToWidth(fitWidth(member.name, nameWidth), nameWidth)];
    if (withModel) columns.push(padToWidth(fitWidth(member.model, modelWidth), modelWidth));
    const prefix = `${INDENT}${columns.join(" ")}  `;
    const room = width - displayWidth(prefix);
    const status = memberStatus(member);
    if (member.status === "thinking") {
      // The last words of a thinking member show that it is moving, or that it stalled.
      const preview = member.text.trim() === "" ? "" : fitTail(oneLine(member.text), room - displayWidth(status) - 2);
      return [fitWidth(prefix + (preview === "" ? `${status}…` : `${status}: ${preview}`), width)];
    }
    if (!finished) return [fitWidth(prefix + status, width)];
    const [first = "", ...rest] = wrap(status, room);
    return [prefix + first, ...rest.map((line) => " ".repeat(displayWidth(prefix)) + line)];
  });
}

function rankingTable(view: DeliberationView, width: number): string[] {
  const rows = view.ranking?.rows ?? [];
  if (!view.ranking || rows.length === 0) return [];
  const numberColumns = "  Borda   mean  votes";
  const nameWidth = Math.max(
    4,
    Math.min(Math.max(...rows.map((row) => displayWidth(row.member))), width - INDENT.length - 3 - numberColumns.length),
  );
  const header = `${INDENT}${padToWidth("Ranking", 3 + nameWidth)}${numberColumns}`;
  const lines = rows.map((row) => {
    const name = padToWidth(fitWidth(row.member, nameWidth), nameWidth);
    const mean = row.meanScore === null ? "–" : row.meanScore.toFixed(1);
    return `${INDENT}${padToWidth(medal(row.position), 3)}${name}  ${row.borda.toFixed(2).padStart(5)}  ${mean.padStart(5)}  ${String(row.votes).padStart(5)}`;
  });
  return [header, ...lines, `${INDENT}${consensusText(view.ranking.consensus)}`].map((line) => fitWidth(line, width));
}

function footerLines(view: DeliberationView, width: number): string[] {
  const { tokens, time } = footerSegments(view);
  return [...flow(tokens, width), ...flow(time, width)];
}
