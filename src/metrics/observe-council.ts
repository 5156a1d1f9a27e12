import type { CouncilEvent } from "../council/events.js";
import { type BotMetrics, platformLabel } from "./bot-metrics.js";

// Counts one council's events into the bot's metrics as they pass, without changing them: the
// same place in the chain as the record (record-events.ts), so both see the same council.

export async function* observeCouncil(events: AsyncIterable<CouncilEvent>, platform: string, metrics: BotMetrics): AsyncGenerator<CouncilEvent> {
  const label = platformLabel(platform);
  for await (const event of events) {
    count(event, label, metrics);
    yield event;
  }
}

function count(event: CouncilEvent, platform: string, metrics: BotMetrics): void {
  switch (event.type) {
    case "call-finished": {
      const { model, stage } = event.stats;
      metrics.callDuration.observe({ model, stage }, event.stats.wallMs / 1000);
      if (event.stats.firstTokenMs !== undefined) metrics.firstToken.observe({ model, stage }, event.stats.firstTokenMs / 1000);
      metrics.tokens.inc({ model, stage, kind: "prompt" }, event.stats.promptTokens);
      metrics.tokens.inc({ model, stage, kind: "completion" }, event.stats.completionTokens);
      return;
    }
    case "call-failed":
      metrics.callFailures.inc({ model: event.model, stage: event.stage, reason: event.reason.kind });
      return;
    case "stage-finished":
      metrics.stageDuration.observe({ stage: event.stage }, event.wallMs / 1000);
      return;
    case "council-finished":
      metrics.councils.inc({ platform, status: event.status });
      return;
    case "interrupted":
      metrics.councils.inc({ platform, status: "interrupted" });
      return;
    default:
      return;
  }
}
