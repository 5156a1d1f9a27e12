import type { Logger } from "pino";
import { botCharts } from "../../src/insights/chart-process.js";
import type { LiveCouncilResult } from "./live-council.js";

// The last thing a council's thread gets: a picture of its model calls by stage (start, first
// token, end), so a user sees where the time went. Drawn and posted only after the card's final
// state is delivered and the details are posted, so it can never hold them up; posted once,
// never retried (a retry after a lost answer would show it twice), and a failure is only logged:
// the council itself was shown.

export interface TimelineImage {
  png: Buffer;
  fileName: string;
  /** For screen readers. */
  description: string;
  /** The line posted with it. */
  caption: string;
}

const ENDED = new Set(["completed", "partial", "failed"]);

export const TIMELINE_CAPTION = "⏱️ Where the time went: each model call by stage, from its start through its first token to its end.";

/** Posts the timeline of a council that ended after at least one model call; resolves whether it was posted. */
export async function postTimeline(result: LiveCouncilResult, post: (image: TimelineImage) => Promise<void>, logger: Logger): Promise<boolean> {
  const { view } = result;
  // An interrupted council, or one whose thread is gone, gets no picture; nor one that called nothing.
  if (!ENDED.has(view.status) || view.timeline.length === 0 || result.detailsStopped) return false;
  let png: Buffer;
  try {
    png = await botCharts.draw({ kind: "timeline", calls: view.timeline });
  } catch (error) {
    logger.warn({ err: error }, "the council's timeline could not be drawn");
    return false;
  }
  const calls = view.timeline.length;
  try {
    await post({
      png,
      fileName: "timeline.png",
      description: `Timeline of the council's ${calls} model call${calls === 1 ? "" : "s"} by stage.`,
      caption: TIMELINE_CAPTION,
    });
    return true;
  } catch (error) {
    const kind = (error as { kind?: unknown }).kind;
    logger.warn({ err: error, ...(typeof kind === "string" && { kind }) }, "the council's timeline could not be posted");
    return false;
  }
}
