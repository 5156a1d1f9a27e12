import { afterEach, describe, expect, it } from "vitest";
import { pngSize } from "../../test-support/png-size.js";
import type { TimelineCall } from "../council/view.js";
import { timelineSize } from "./charts/index.js";
import { ChartProcessError, createChartProcess, type ChartProcess } from "./chart-process.js";

// The chart process really runs: a child Node process drawing with ECharts and resvg, talking
// over the IPC channel.

const CALLS: TimelineCall[] = [
  { member: "A", model: "llama3.2:3b", stage: "answers", startMs: 0, firstTokenMs: 300, wallMs: 4000 },
  { model: "qwen2.5:7b", stage: "synthesis", startMs: 4100, firstTokenMs: 800, wallMs: 5000 },
] as TimelineCall[];

let charts: ChartProcess | undefined;
afterEach(() => charts?.close());

const exited = (pid: number) =>
  new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });

describe("the chart process", () => {
  it("draws in a child process, which draws the next chart too and ends when idle", async () => {
    charts = createChartProcess({ idleMs: 200 });
    expect(charts.pids()).toEqual([]);
    const first = charts.draw({ kind: "timeline", calls: CALLS });
    const [pid] = charts.pids();
    expect(pid).not.toBe(process.pid);
    expect(pngSize(await first)).toEqual(timelineSize(2));
    expect(pngSize(await charts.draw({ kind: "timeline", calls: CALLS }))).toEqual(timelineSize(2));
    expect(charts.pids()).toEqual([pid]);
    await exited(pid as number);
    expect(charts.pids()).toEqual([]);
  }, 30_000);

  it("starts a child ahead of a chart when warmed, draws with that child, and ends it when no chart comes", async () => {
    charts = createChartProcess({ idleMs: 20_000 });
    charts.warm();
    const [pid] = charts.pids();
    expect(pid).toBeDefined();
    charts.warm();
    expect(charts.pids()).toEqual([pid]);
    expect(pngSize(await charts.draw({ kind: "timeline", calls: CALLS }))).toEqual(timelineSize(2));
    expect(charts.pids()).toEqual([pid]);
    const idle = createChartProcess({ idleMs: 100 });
    idle.warm();
    const [idlePid] = idle.pids();
    await exited(idlePid as number);
    expect(idle.pids()).toEqual([]);
  }, 30_000);

  it("hands over to a fresh child after jobsPerProcess charts", async () => {
    charts = createChartProcess({ jobsPerProcess: 1 });
    await charts.draw({ kind: "timeline", calls: CALLS });
    const [firstPid] = charts.pids();
    const second = charts.draw({ kind: "timeline", calls: CALLS });
    // The first child is on its way out; a second one draws.
    expect(charts.pids().filter((pid) => pid !== firstPid)).toHaveLength(1);
    await second;
    await exited(firstPid as number);
  }, 30_000);

  it("reports what the chart could not draw, and draws the next one", async () => {
    charts = createChartProcess();
    const error = await charts.draw({ kind: "timeline", calls: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChartProcessError);
    expect((error as Error).message).toMatch(/^The chart could not be drawn: .*no rows to draw/);
    expect(pngSize(await charts.draw({ kind: "timeline", calls: CALLS }))).toEqual(timelineSize(2));
  }, 30_000);

  it("stops a child that does not answer in time, and fails its chart with the reason", async () => {
    charts = createChartProcess({ jobTimeoutMs: 1 });
    const pending = charts.draw({ kind: "timeline", calls: CALLS });
    const [pid] = charts.pids();
    await expect(pending).rejects.toThrow("The chart could not be drawn: it took longer than 0 s, so its process was stopped.");
    await exited(pid as number);
  }, 30_000);

  it("fails what is drawing when the bot closes it", async () => {
    charts = createChartProcess();
    const pending = charts.draw({ kind: "timeline", calls: CALLS });
    charts.close();
    await expect(pending).rejects.toThrow("The chart could not be drawn: the bot is stopping.");
  }, 30_000);
});
