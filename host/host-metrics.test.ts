import { expect, it } from "vitest";
import type { SystemHealth } from "../wire/worker-health.js";
import { createHostMetrics } from "./host-metrics.js";

// One sample serves every caller while it runs and for ttlMs after it ends, however long it takes.

function slowSamples() {
  const pending: Array<{ resolve: (health: SystemHealth) => void; reject: (error: Error) => void }> = [];
  let taken = 0;
  const sample = () =>
    new Promise<SystemHealth>((resolve, reject) => {
      taken += 1;
      pending.push({ resolve, reject });
    });
  const health = (n: number): SystemHealth => ({ cpu: { model: "cpu", cores: n, loadPercent: 0, loadAverage: 0 }, memory: { usedBytes: 1, totalBytes: 2 }, gpus: [], sampledAt: `t${n}` });
  return { sample, pending, health, taken: () => taken };
}

it("shares a sample that runs longer than the ttl, then serves it for the ttl after it ended", async () => {
  let clock = 0;
  const samples = slowSamples();
  const metrics = createHostMetrics({ ttlMs: 2_000, now: () => clock, sample: samples.sample });
  const first = metrics.snapshot();
  clock = 5_000; // a busy host: the sample is still running after more than the ttl
  const during = metrics.snapshot();
  expect(samples.taken()).toBe(1);
  samples.pending[0]?.resolve(samples.health(1));
  expect(await first).toBe(await during);

  clock = 6_999;
  expect((await metrics.snapshot()).sampledAt).toBe("t1");
  expect(samples.taken()).toBe(1);
  clock = 7_000;
  const next = metrics.snapshot();
  expect(samples.taken()).toBe(2);
  samples.pending[1]?.resolve(samples.health(2));
  expect((await next).sampledAt).toBe("t2");
});

it("does not serve a failed sample: the next caller takes a new one", async () => {
  const samples = slowSamples();
  const metrics = createHostMetrics({ now: () => 0, sample: samples.sample });
  const failed = metrics.snapshot();
  samples.pending[0]?.reject(new Error("nvidia-smi failed"));
  await expect(failed).rejects.toThrow("nvidia-smi failed");
  const again = metrics.snapshot();
  expect(samples.taken()).toBe(2);
  samples.pending[1]?.resolve(samples.health(2));
  expect((await again).sampledAt).toBe("t2");
});
