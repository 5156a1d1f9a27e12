import type { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { completedCouncil, failedMemberCouncil, stats } from "../../test-support/scripted-councils.js";
import type { CouncilEvent } from "../council/events.js";
import { collect } from "../council/test-helpers.js";
import { createBotMetrics } from "./bot-metrics.js";
import { observeCouncil } from "./observe-council.js";

// The scripted councils of the renderer tests, counted: every figure below is worked out by hand
// from test-support/scripted-councils.ts (each call reads 100 prompt tokens; Llama answers with
// 312 tokens in 4.2 s in both councils; each ballot writes 80 tokens in 2 s under its
// reviewer's model; the chairman writes 150, then 90 tokens).

async function* play(events: readonly CouncilEvent[]): AsyncGenerator<CouncilEvent> {
  yield* events;
}

/** The value of one sample (`name` may end in _count or _sum), with exactly these labels; undefined when absent. */
async function sample(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const value of metric.values) {
      const sampleName = (value as { metricName?: string }).metricName ?? metric.name;
      const keys = Object.keys(value.labels);
      if (sampleName === name && keys.length === Object.keys(labels).length && keys.every((key) => value.labels[key] === labels[key])) return value.value;
    }
  }
  return undefined;
}

describe("observeCouncil", () => {
  it("passes every event through untouched, in order", async () => {
    const events = failedMemberCouncil();
    expect(await collect(observeCouncil(play(events), "discord", createBotMetrics()))).toEqual(events);
  });

  it("counts councils by platform and status, stages, calls, tokens and failed calls", async () => {
    const metrics = createBotMetrics();
    await collect(observeCouncil(play(completedCouncil()), "discord", metrics));
    await collect(observeCouncil(play(failedMemberCouncil()), "slack", metrics));
    const at = (name: string, labels: Record<string, string>) => sample(metrics.registry, name, labels);

    expect(await at("council_councils_total", { platform: "discord", status: "completed" })).toBe(1);
    expect(await at("council_councils_total", { platform: "slack", status: "partial" })).toBe(1);
    expect(await at("council_councils_total", { platform: "slack", status: "completed" })).toBeUndefined();

    expect(await at("council_stage_duration_seconds_count", { stage: "answers" })).toBe(2);
    expect(await at("council_stage_duration_seconds_sum", { stage: "answers" })).toBeCloseTo(8.6);
    expect(await at("council_stage_duration_seconds_sum", { stage: "review" })).toBeCloseTo(6.1 + 3);
    expect(await at("council_stage_duration_seconds_sum", { stage: "synthesis" })).toBeCloseTo(13);

    expect(await at("council_model_call_duration_seconds_count", { model: "llama3.2:3b", stage: "answers" })).toBe(2);
    expect(await at("council_model_call_duration_seconds_sum", { model: "llama3.2:3b", stage: "answers" })).toBeCloseTo(8.4);
    expect(await at("council_model_call_duration_seconds_count", { model: "qwen2.5:3b", stage: "review" })).toBe(2);
    expect(await at("council_model_tokens_total", { model: "llama3.2:3b", stage: "answers", kind: "completion" })).toBe(624);
    expect(await at("council_model_tokens_total", { model: "llama3.2:3b", stage: "answers", kind: "prompt" })).toBe(200);
    expect(await at("council_model_tokens_total", { model: "qwen2.5:3b", stage: "review", kind: "completion" })).toBe(160);
    expect(await at("council_model_tokens_total", { model: "gemma2:2b", stage: "review", kind: "completion" })).toBe(80);
    expect(await at("council_model_tokens_total", { model: "llama3.1:8b", stage: "synthesis", kind: "completion" })).toBe(240);
    expect(await at("council_model_tokens_total", { model: "gemma2:2b", stage: "answers", kind: "completion" })).toBe(40);

    expect(await at("council_model_call_failures_total", { model: "gemma2:2b", stage: "answers", reason: "model-missing" })).toBe(1);
    // Gemma's answer in the first council is not a failure, and nothing else failed.
    const failures = (await metrics.registry.getSingleMetric("council_model_call_failures_total")?.get())?.values ?? [];
    expect(failures).toHaveLength(1);
  });

  it("times the first token when the call streamed one", async () => {
    const metrics = createBotMetrics();
    const streamed = { ...stats("llama3.2:3b", "answers", 10, 3000), firstTokenMs: 1200 };
    await collect(observeCouncil(play([{ type: "call-finished", stats: streamed, member: "Llama" }, { type: "call-finished", stats: stats("llama3.2:3b", "review", 10, 900) }]), "discord", metrics));
    expect(await sample(metrics.registry, "council_model_first_token_seconds_count", { model: "llama3.2:3b", stage: "answers" })).toBe(1);
    expect(await sample(metrics.registry, "council_model_first_token_seconds_sum", { model: "llama3.2:3b", stage: "answers" })).toBeCloseTo(1.2);
    expect(await sample(metrics.registry, "council_model_first_token_seconds_count", { model: "llama3.2:3b", stage: "review" })).toBeUndefined();
  });

  it("counts an interrupted council as interrupted, and an unknown platform as 'other', never as its own label", async () => {
    const metrics = createBotMetrics();
    await collect(observeCouncil(play([{ type: "queued", ahead: 2 }, { type: "interrupted", reason: "the bot stopped" }]), "irc-#general", metrics));
    expect(await sample(metrics.registry, "council_councils_total", { platform: "other", status: "interrupted" })).toBe(1);
    expect(await metrics.registry.metrics()).not.toContain("irc");
  });
});
