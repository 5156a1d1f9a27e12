import type { RankingRow } from "../../src/council/events.js";
import type { ReviewMode } from "../../src/council/preset.js";
import type { StageName } from "../../src/council/usage.js";
import type { DescriptionView, DeliberationView, MemberView, StageView } from "../../src/council/view.js";
import type { FileShown } from "../../src/council/events.js";
import { formatCount, formatDuration, formatTokens, oneLine } from "./text.js";

// The words every front end uses for the deliberation view: stage progress, member status,
// medals, consensus, who gave the answer, and the tokens-and-time footer. The terminal, the
// Discord card and the Slack blocks lay them out differently, but say the same thing.

const STAGE_LABELS: Record<StageName, string> = {
  answers: "opinions",
  debate: "debate",
  review: "peer review",
  synthesis: "synthesis",
};

const STAGE_UNITS: Record<StageName, string> = {
  answers: "answers",
  debate: "revisions",
  review: "ballots",
  synthesis: "answer",
};

function stageLabel(stage: Pick<StageView, "name" | "round">): string {
  return stage.name === "debate" && stage.round !== undefined ? `debate round ${stage.round}` : STAGE_LABELS[stage.name];
}

/** "Stage 2/3 · peer review · 4/6 ballots" while running; how it ended once finished. */
export function stageLine(view: DeliberationView): string {
  if (view.status !== "running") return outcomeLine(view);
  const running = view.stages.findIndex((stage) => stage.status === "running");
  const index = running !== -1 ? running : view.stages.findLastIndex((stage) => stage.status === "done");
  const stage = view.stages[index];
  if (!stage) return view.queue ? queueLine(view.queue.ahead) : "Starting the council…";
  const progress =
    stage.status === "done"
      ? `done in ${formatDuration(stage.wallMs ?? 0)}`
      : stage.name === "synthesis"
        ? "writing the final answer"
        : `${stage.doneCalls}/${stage.expectedCalls} ${STAGE_UNITS[stage.name]}`;
  return `Stage ${index + 1}/${view.stages.length} · ${stageLabel(stage)} · ${progress}`;
}

/** "Waiting for a free seat · 2 ahead of you", "· you are next". */
export function queueLine(ahead: number): string {
  return `Waiting for a free seat · ${ahead === 0 ? "you are next" : `${formatCount(ahead)} ahead of you`}`;
}

function outcomeLine(view: DeliberationView): string {
  const took = view.latency.totalMs === undefined ? "" : ` in ${formatDuration(view.latency.totalMs)}`;
  const reason = view.reason ? `: ${oneLine(view.reason)}` : "";
  switch (view.status) {
    case "completed":
      return `Council completed${took}${reason}`;
    case "partial":
      return `Partial result${took}${reason}`;
    case "interrupted":
      return `Council interrupted${reason}`;
    default:
      // A cancelled council did nothing wrong: it says so, not "failed".
      return view.cancelled ? `Council cancelled${took}` : `Council failed${took}${reason}`;
  }
}

/** The member's state without its name: "answered in 4.2 s, 312 tokens", "failed: why", "thinking". */
export function memberStatus(member: MemberView): string {
  switch (member.status) {
    case "thinking":
      return "thinking";
    case "failed":
      return member.error?.kind === "cancelled" ? "cancelled" : `failed: ${oneLine(member.error?.message ?? "no reason given")}`;
    case "answered": {
      const details = [
        member.wallMs === undefined ? undefined : `in ${formatDuration(member.wallMs)}`,
        member.completionTokens === undefined ? undefined : formatTokens(member.completionTokens),
      ].filter((detail) => detail !== undefined);
      return `${member.revised ? "revised" : "answered"}${details.length > 0 ? ` ${details.join(", ")}` : ""}`;
    }
  }
}

/** A medal for the podium, the position for the rest. */
export function medal(position: number): string {
  return ["🥇", "🥈", "🥉"][position - 1] ?? `${position}.`;
}

/**
 * The ranking on one line, with the number that decided it: Borda points from the ballots'
 * rankings, or in pairwise review the mean score. "Ranking (Borda): 🥇 Qwen 1.00 · … · consensus 0.78 (strong)".
 */
export function rankingSummary(ranking: { rows: readonly RankingRow[]; consensus: number | null }, review: ReviewMode): string {
  const decidedBy = review === "pairwise" ? "mean score" : "Borda";
  const places = ranking.rows.map((row) => {
    const number = review === "pairwise" ? (row.meanScore?.toFixed(1) ?? "–") : row.borda.toFixed(2);
    return `${medal(row.position)} ${row.member} ${number}`;
  });
  return `Ranking (${decidedBy}): ${[...places, consensusText(ranking.consensus)].join(" · ")}`;
}

/** How far the ballots agree with the council's order (0 to 1), with a word for how strongly. */
export function consensusText(consensus: number | null): string {
  if (consensus === null) return "consensus: not measured (too few ballots)";
  const strength = consensus >= 0.7 ? "strong" : consensus >= 0.4 ? "moderate" : "weak";
  return `consensus ${consensus.toFixed(2)} (${strength})`;
}

/** Who gave the final answer, and how it was chosen. */
export function verdictHeading(view: DeliberationView): string {
  const by = view.verdict?.by;
  if (!by) return view.chairman ? `Answer (the chairman ${view.chairman} is writing)` : "Answer";
  switch (by.kind) {
    case "chairman":
      return `Answer by the chairman (${by.model})`;
    case "top-ranked":
      return `Answer: the top-ranked one, by ${by.member}${by.because ? ` (${oneLine(by.because)})` : ""}`;
    case "only-answer":
      return `Answer: the only one given, by ${by.member}`;
    case "majority": {
      const votes = `${by.votes} of ${by.of} votes${by.weighted ? ", weighted by peer scores" : ""}`;
      if (by.majority) return `Answer: the majority's, by ${by.member} (${votes})`;
      // Without a majority the answer shown is only one view among several: the heading must not pass it off as the council's.
      if (by.backers <= 1) return `No majority: every member gave a different answer; shown is ${by.member}'s (${votes})`;
      return `No majority: the most common answer, by ${by.member} (${votes})`;
    }
    case "vote":
      return voteHeading(by);
  }
}

const SHOWN_SPLIT = 4;

/**
 * "Answer: 42 by vote, 7 of 9 samples (confidence 78%) · split 42 ×7 · 41 ×2", or with the
 * confident-member selection, whose own samples decided. The split is what a reader needs to
 * judge the answer: 5 against 4 is not 9 against 0.
 */
function voteHeading(by: Extract<NonNullable<DeliberationView["verdict"]>["by"], { kind: "vote" }>): string {
  const clip = (text: string) => oneLine(text).slice(0, 40);
  const confidence = `confidence ${Math.round(by.confidence * 100)}%`;
  const decided =
    by.selection === "plurality"
      ? `Answer: ${clip(by.answer)} by vote, ${by.votes} of ${by.of} samples (${confidence}), as ${by.member} gave it`
      : `Answer: ${clip(by.answer)} from ${by.member}, the most self-consistent member (${by.votes} of its ${by.of} samples, ${confidence})`;
  const shown = by.split.slice(0, SHOWN_SPLIT).map((entry) => `${clip(entry.answer)} ×${entry.votes}`);
  const others = by.split.slice(SHOWN_SPLIT).reduce((sum, entry) => sum + entry.votes, 0);
  return `${decided} · split ${[...shown, ...(others > 0 ? [`others ×${others}`] : [])].join(" · ")}`;
}

/** Footer segments: tokens, then wall time per stage and in total. Callers join or flow them. */
export function footerSegments(view: DeliberationView): { tokens: string[]; time: string[] } {
  const { usage } = view;
  const tokens = [
    `Tokens: ${formatCount(usage.promptTokens)} prompt / ${formatCount(usage.completionTokens)} completion / ${formatCount(usage.totalTokens)} total`,
    ...(usage.tokensPerSecond === null ? [] : [`${usage.tokensPerSecond} tokens/s generated`]),
    // Counted once in the prompt tokens above; the chairman read them during the review.
    ...(usage.readAheadTokens > 0 ? [`${formatCount(usage.readAheadTokens)} read ahead by the chairman (saved ${formatDuration(usage.readAheadMs)})`] : []),
  ];
  const stageNames = [...new Set(view.stages.map((stage) => stage.name))];
  const time = stageNames.flatMap((name) => {
    const ms = view.latency.byStage[name];
    return ms === undefined ? [] : [`${STAGE_LABELS[name]} ${formatDuration(ms)}`];
  });
  if (view.latency.totalMs !== undefined) time.push(`total ${formatDuration(view.latency.totalMs)}`);
  if (time.length > 0) time[0] = `Time: ${time[0]}`;
  return { tokens, time };
}

/** One line per file the council reads, and per image description: what the card shows under the stage. */
export function fileLines(view: DeliberationView): string[] {
  return [...view.files.map(fileLine), ...view.descriptions.map(descriptionLine)];
}

/** "📎 report.pdf · pdf, 12 pages, 48 KB · 61% sent: llama3.2:3b reads 8192 tokens (num_ctx)". */
function fileLine(file: FileShown): string {
  const facts = [file.type, ...(file.pages !== undefined ? [`${file.pages} page${file.pages === 1 ? "" : "s"}`] : []), formatBytes(file.size)];
  const kept = keptShare(file);
  return `📎 ${oneLine(file.name)} · ${facts.join(", ")}${kept ? ` · ${kept}` : ""}`;
}

function keptShare(file: FileShown): string | undefined {
  const total = file.characters?.total;
  if (total === undefined || total === 0) return undefined;
  if (file.cutToFit) {
    const share = Math.max(1, Math.floor((file.cutToFit.keptCharacters / total) * 100));
    return `${share}% sent: ${file.cutToFit.model} reads at most ${file.cutToFit.numCtx} tokens (num_ctx)`;
  }
  const used = file.characters?.used ?? total;
  return used < total ? `${Math.max(1, Math.floor((used / total) * 100))}% kept (FILE_MAX_CHARS)` : undefined;
}

function descriptionLine(description: DescriptionView): string {
  if ("failure" in description) {
    return `🖼️ ${oneLine(description.image)} could not be described by ${description.member} (${oneLine(description.failure.message)}): only the members that can see read it`;
  }
  return `🖼️ ${oneLine(description.image)} described by ${description.member} (${description.model}) in ${formatDuration(description.wallMs)}, for those that cannot see it`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
