import { request } from "node:http";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../config/index.js";
import { captureLogs } from "../../test-support/log-capture.js";
import { closingsOfBotEndpoint, idleAfterOneRequest, slowBody, slowHeaders } from "../../test-support/slow-clients.js";
import { startTestCouncil } from "../../test-support/test-council.js";
import type { CouncilEvent } from "../../src/council/events.js";
import type { CouncilRequest, CouncilRun, CouncilService } from "../../src/council-service.js";
import { createBotMetrics } from "../../src/metrics/bot-metrics.js";
import { openCouncilService } from "../../src/open-council-service.js";
import { type MetricsServer, startMetricsServer } from "./metrics-server.js";

// The bot's /metrics on a real socket: what Prometheus scrapes after real councils (the core
// through a worker in front of the fake Ollama, as the chat bots run them), and what anything
// else that knocks on the port gets.

const servers: MetricsServer[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(registry = createBotMetrics().registry): Promise<MetricsServer> {
  const server = await startMetricsServer({ registry, host: "127.0.0.1", port: 0, logger: captureLogs().logger });
  servers.push(server);
  return server;
}

async function scrape(server: MetricsServer): Promise<string> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The council service as the bot opens it, counted by fresh metrics that a server on a free port serves. */
async function councilsWithMetrics(options: Parameters<typeof startTestCouncil>[0] = {}) {
  const council = await startTestCouncil(options);
  cleanups.push(() => council.close());
  const metrics = createBotMetrics();
  const core = council.openCore();
  const service = openCouncilService(council.config, core.engine, council.logs.logger, metrics);
  cleanups.push(() => service.close());
  return { core, service, server: await serve(metrics.registry) };
}

/** Opens a council and plays it to its end, as an adapter shows it. */
async function play(councils: CouncilService, request: CouncilRequest): Promise<CouncilEvent[]> {
  const run = opened(councils, request);
  const events: CouncilEvent[] = [];
  for await (const event of run.events) events.push(event);
  run.close();
  return events;
}

function opened(councils: CouncilService, request: CouncilRequest): CouncilRun {
  const result = councils.open(request);
  if (!result.opened) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.run;
}

/** The tokens the councils' call-finished events report for one model, stage and kind. */
function tokensOf(events: readonly CouncilEvent[], model: string, stage: string, kind: "promptTokens" | "completionTokens"): number {
  return events.reduce((sum, event) => (event.type === "call-finished" && event.stats.model === model && event.stats.stage === stage ? sum + event.stats[kind] : sum), 0);
}

/** A sample line's pattern: `name{labels} value`, the labels in the order given. */
const line = (name: string, labels: string, value: string | number) => new RegExp(`^${name}\\{${labels.replace(/[.]/g, "\\.")}\\} ${value}$`, "m");

describe("the bot's /metrics after real councils", () => {
  it("counts councils by platform and status, calls, tokens and failures by model and stage, and shows nobody's words or ids", { timeout: 60_000 }, async () => {
    const { core, service, server } = await councilsWithMetrics();
    const pair = core.presets.get("pair");
    const trio = core.presets.get("trio");

    const onDiscord = await play(service.councils, { platform: "discord", asker: "asker-7f3a91", question: "Why is the sky blue?", preset: pair });
    const onSlack = await play(service.councils, { platform: "slack", asker: "asker-c04d2e", question: "Why is the sea salty?", preset: trio });
    // A council whose card could not be shown: recorded as failed, and counted so.
    opened(service.councils, { platform: "discord", asker: "asker-7f3a91", question: "Is this shown?", preset: pair }).close("the card could not be posted");
    expect(onDiscord.at(-1)).toMatchObject({ type: "council-finished", status: "completed" });
    // member-broken answers 500: the two others carry the council, which says it is partial.
    expect(onSlack.at(-1)).toMatchObject({ type: "council-finished", status: "partial" });

    const text = await scrape(server);
    expect(text).toMatch(line("council_councils_total", 'platform="discord",status="completed"', 1));
    expect(text).toMatch(line("council_councils_total", 'platform="slack",status="partial"', 1));
    expect(text).toMatch(line("council_councils_total", 'platform="discord",status="failed"', 1));
    expect(text.match(/^council_councils_total\{/gm)).toHaveLength(3);

    const all = [...onDiscord, ...onSlack];
    for (const model of ["member-a", "member-b"]) {
      expect(text).toMatch(line("council_model_tokens_total", `model="${model}",stage="answers",kind="completion"`, tokensOf(all, model, "answers", "completionTokens")));
      expect(text).toMatch(line("council_model_tokens_total", `model="${model}",stage="review",kind="prompt"`, tokensOf(all, model, "review", "promptTokens")));
      expect(text).toMatch(line("council_model_call_duration_seconds_count", `model="${model}",stage="answers"`, 2));
    }
    expect(tokensOf(all, "chair", "synthesis", "completionTokens")).toBeGreaterThan(0);
    expect(text).toMatch(line("council_model_tokens_total", 'model="chair",stage="synthesis",kind="completion"', tokensOf(all, "chair", "synthesis", "completionTokens")));
    // Per council the chairman's two reads ahead (the question, then the answers) and its answer.
    expect(text).toMatch(line("council_model_call_duration_seconds_count", 'model="chair",stage="synthesis"', 2 * 3));
    expect(text).toMatch(line("council_model_call_failures_total", 'model="member-broken",stage="answers",reason="bad-response"', 1));
    expect(text).not.toMatch(/^council_model_\w+\{model="member-broken",stage="(review|synthesis)"/m);
    expect(text).toMatch(line("council_stage_duration_seconds_count", 'stage="answers"', 2));
    expect(text).toMatch(line("council_stage_duration_seconds_count", 'stage="synthesis"', 2));
    // Two councils took a seat (the third was closed before its seat came); none waits or runs now.
    expect(text).toMatch(/^council_queue_wait_seconds_count 2$/m);
    expect(text).toMatch(/^council_councils_waiting 0$/m);
    expect(text).toMatch(/^council_councils_running 0$/m);
    expect(text).toMatch(/^council_bot_process_resident_memory_bytes \d+/m);
    for (const asked of ["asker-", "sky", "salty", "shown"]) expect(text).not.toContain(asked);
  });

  it("shows councils waiting for a seat and running, then how long they waited", { timeout: 60_000 }, async () => {
    const { core, service, server } = await councilsWithMetrics({ decodeTokensPerSecond: 40, env: { COUNCIL_MAX_IN_FLIGHT: "1" } });
    const pair = core.presets.get("pair");

    const first = play(service.councils, { platform: "slack", asker: "U1", question: "Why is the sky blue?", preset: pair });
    const second = play(service.councils, { platform: "slack", asker: "U2", question: "Why is the sea salty?", preset: pair });
    await expect.poll(() => scrape(server), { timeout: 10_000 }).toMatch(/^council_councils_waiting 1$/m);
    expect(await scrape(server)).toMatch(/^council_councils_running 1$/m);
    await Promise.all([first, second]);
    const text = await scrape(server);
    expect(text).toMatch(/^council_councils_waiting 0$/m);
    expect(text).toMatch(/^council_councils_running 0$/m);
    expect(text).toMatch(/^council_queue_wait_seconds_count 2$/m);
    expect(text).toMatch(line("council_councils_total", 'platform="slack",status="completed"', 2));
  });
});

describe("the metrics endpoint", () => {
  it("serves GET /metrics as Prometheus text, query or not, and 404 for anything else", async () => {
    const server = await serve();
    const metrics = await fetch(`${server.url}/metrics?scrape=1`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await metrics.text()).toContain("# TYPE council_councils_total counter");
    for (const [method, path] of [
      ["GET", "/"],
      ["GET", "/metrics/"],
      ["GET", "/metricsx"],
      ["GET", "/health"],
      ["HEAD", "/metrics"],
      ["DELETE", "/metrics"],
      ["OPTIONS", "/metrics"],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
  });

  it("takes no body: a request that carries one is answered 413 and its connection closed, unread", async () => {
    const server = await serve();
    const answer = await new Promise<{ status: number | undefined; connection: string | undefined }>((resolve, reject) => {
      const sent = request(`${server.url}/metrics`, { method: "GET", headers: { "content-type": "application/json", "content-length": "17" } }, (response) => {
        response.resume();
        resolve({ status: response.statusCode, connection: response.headers.connection });
      });
      sent.on("error", reject);
      sent.end('{"query":"all"}  ');
    });
    expect(answer).toEqual({ status: 413, connection: "close" });
    const posted = await fetch(`${server.url}/metrics`, { method: "POST", body: "x".repeat(1000) });
    expect(posted.status).toBe(413);
  });

  it("closes slow clients within the inbound endpoints' bounds while a scrape is answered", { timeout: 30_000 }, async () => {
    const server = await serve();
    const headers = slowHeaders({ url: server.url, path: "/metrics" });
    const body = slowBody({ url: server.url, path: "/metrics" });
    const idle = idleAfterOneRequest({ url: server.url, path: "/metrics" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await scrape(server)).toContain("council_councils_total");
      expect([headers.open(), idle.open()]).toEqual([true, true]);
      expect(await closingsOfBotEndpoint({ headers, body, idle })).toEqual([
        { inTime: true, status: "HTTP/1.1 408" },
        // The body is refused as soon as its headers announce it.
        { inTime: true, status: "HTTP/1.1 413" },
        { inTime: true, status: "HTTP/1.1 200" },
      ]);
    } finally {
      for (const client of [headers, body, idle]) client.destroy();
    }
  });

  it("stops listening when closed", async () => {
    const server = await serve();
    await scrape(server);
    await servers.pop()?.close();
    await expect(fetch(`${server.url}/metrics`)).rejects.toThrow();
  });

  it("says which setting to change when its port is taken or its address is not this machine's", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const { registry } = createBotMetrics();
    const logger = captureLogs().logger;

    const inUse = await startMetricsServer({ registry, host: "127.0.0.1", port, logger }).catch((error: unknown) => error);
    expect(inUse).toBeInstanceOf(ConfigError);
    expect((inUse as ConfigError).keys).toEqual(["METRICS_PORT"]);
    expect((inUse as ConfigError).message).toBe(`council bot cannot start: METRICS_PORT=${port} is already in use on 127.0.0.1. Fix: set METRICS_PORT to a free port, or stop what listens there.`);

    // 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it.
    const elsewhere = await startMetricsServer({ registry, host: "192.0.2.1", port: 0, logger }).catch((error: unknown) => error);
    expect(elsewhere).toBeInstanceOf(ConfigError);
    expect((elsewhere as ConfigError).keys).toEqual(["METRICS_HOST"]);
    expect((elsewhere as ConfigError).message).toContain("METRICS_HOST=192.0.2.1 is not an address of this machine.");
  });
});
