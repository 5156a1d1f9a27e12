import type { HealthReport } from "../../src/health.js";
import type { RecentError } from "../../src/recent-errors.js";
import { summariseHealth } from "../shared/health-text.js";
import { type Block, chunkBlocks, context, SLACK_LIMITS, sections } from "./blocks.js";
import { escapeSlack } from "./mrkdwn.js";

/** /council-health as Block Kit, the same content as on Discord. */
export function healthMessage(
  report: HealthReport,
  councils: Parameters<typeof summariseHealth>[1],
  errors: readonly RecentError[],
): { text: string; blocks: Block[] } {
  const summary = summariseHealth(report, councils, errors);
  const section = (title: string, lines: string[]) => sections(`*${escapeSlack(title)}*\n${escapeSlack(lines.join("\n"))}`);
  const blocks: Block[] = [
    ...sections("*🩺 Council health*"),
    ...summary.servers.flatMap((server) => section(server.title, server.lines)),
    ...section("This machine (PC1)", summary.bot),
    ...section("Councils", [summary.councils]),
    ...section("Recent failures", summary.errors.slice(0, 5)),
  ];
  const [first] = chunkBlocks("Council health", blocks.slice(0, SLACK_LIMITS.blocks - 1));
  return first ?? { text: "Council health", blocks: [context("no data")] };
}
