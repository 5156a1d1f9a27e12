import { type ChartJob, drawChart } from "./chart-jobs.js";

// The chart process (chart-process.ts starts it): draws what the bot sends over the IPC channel
// and sends the PNG back. It holds ECharts and resvg, whose pixel buffers are native memory
// that V8 frees only when it next collects, so the bot's own memory never carries them. It ends
// when the bot disconnects: after a quiet spell, or when the bot itself ends.

interface Request {
  id: number;
  job: ChartJob;
}

process.on("message", (message: Request) => {
  drawChart(message.job).then(
    (png) => process.send?.({ id: message.id, png }),
    (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
