import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBotConfig } from "../config/index.js";
import { type FakeOllamaServer, startFakeOllama } from "../test-support/fake-ollama/index.js";
import { captureLogs } from "../test-support/log-capture.js";
import { startWorker } from "../test-support/start-worker.js";
import { createCore } from "./core.js";
import type { CouncilEvent } from "./council/events.js";

// The worker's token and model allowlist, seen from the bot (issue 6): the real core, through a
// worker that requires WORKER_TOKEN and serves only WORKER_MODELS, in front of the fake Ollama.
// A wrong token or a model outside the allowlist must end the council at once with a message
// that says which setting to fix, never leave it to hang until its deadline.

const TOKEN = "the-workers-token-0123456789";
const ALLOWED = ["member-a", "member-b"];
// Generous, so a council that ends within seconds did not end by its deadline.
const LIMITS = { callTimeoutSeconds: 60, stageTimeoutSeconds: 60 };
const PRESETS = {
  default: "pair",
  presets: {
    pair: { members: [{ name: "Alpha", model: "member-a" }, { name: "Bravo", model: "member-b" }], chairman: "chair", limits: LIMITS },
    "one-outside": {
      members: [{ name: "Alpha", model: "member-a" }, { name: "Bravo", model: "member-b" }, { name: "Charlie", model: "member-c" }],
      chairman: "chair",
      limits: LIMITS,
    },
    "all-outside": { members: [{ name: "Charlie", model: "member-c" }, { name: "Delta", model: "member-d" }], chairman: "chair", limits: LIMITS },
  },
};

let ollama: FakeOllamaServer;
let worker: Awaited<ReturnType<typeof startWorker>>;
let dir: string;
let presetsFile: string;

beforeAll(async () => {
  // Every model is pulled: only the worker's allowlist keeps member-c and member-d out.
  ollama = await startFakeOllama({ models: { "member-a": {}, "member-b": {}, "member-c": {}, "member-d": {}, chair: {} } });
  worker = await startWorker(ollama.url, { WORKER_TOKEN: TOKEN, WORKER_MODELS: ALLOWED });
  dir = await mkdtemp(join(tmpdir(), "council-access-"));
  presetsFile = join(dir, "presets.json");
  await writeFile(presetsFile, JSON.stringify(PRESETS));
});
afterAll(async () => {
  await worker.close();
  await ollama.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs one council through a fresh core with these settings; its events, how long it took, and the logs. */
async function council(presetName: string, env: Record<string, string>) {
  const logs = captureLogs([env.WORKER_TOKEN]);
  const core = createCore(loadBotConfig({ WORKER_URLS: worker.url, CHAIRMAN_URL: ollama.url, COUNCIL_CONFIG: presetsFile, ...env }), logs.logger);
  const startedAt = performance.now();
  const events: CouncilEvent[] = [];
  for await (const event of core.engine.runCouncil("Why is the sky blue?", core.presets.get(presetName))) events.push(event);
  const last = events.at(-1);
  if (last?.type !== "council-finished") throw new Error(`the council ended with ${last?.type}`);
  return { events, finished: last, ms: performance.now() - startedAt, logs, core };
}

const failures = (events: CouncilEvent[]) =>
  events.flatMap((event) => (event.type === "member-failed" ? [{ member: event.member, kind: event.error.kind, message: event.error.message }] : []));
const memberChats = () => ollama.requests.filter((request) => request.path === "/api/chat" && request.model !== "chair").length;

describe("a wrong WORKER_TOKEN", () => {
  it("fails the council within seconds, each member saying the worker refused the token and which setting to fix", async () => {
    const before = memberChats();
    const { finished, events, ms, logs } = await council("pair", { WORKER_TOKEN: "not-the-workers-token-0123" });
    expect(finished.status).toBe("failed");
    expect(finished.reason).toContain("WORKER_TOKEN");
    expect(ms).toBeLessThan(5_000);
    const failed = failures(events);
    expect(failed.map((failure) => failure.member).sort()).toEqual(["Alpha", "Bravo"]);
    for (const failure of failed) {
      expect(failure.kind).toBe("refused");
      expect(failure.message).toContain(worker.url);
      expect(failure.message).toContain("the bearer token does not match this worker's WORKER_TOKEN");
      expect(failure.message).toContain("set the same WORKER_TOKEN on the bot and on the worker");
    }
    // Nothing reached Ollama, and the token the bot tried is in no log.
    expect(memberChats()).toBe(before);
    expect(logs.text()).not.toContain("not-the-workers-token-0123");
    expect(worker.logs.text()).not.toContain("not-the-workers-token-0123");
  });

  it("is reported by the start-up probe, naming WORKER_TOKEN", async () => {
    const logs = captureLogs();
    const core = createCore(loadBotConfig({ WORKER_URLS: worker.url, CHAIRMAN_URL: ollama.url, COUNCIL_CONFIG: presetsFile, WORKER_TOKEN: "not-the-workers-token-0123" }), logs.logger);
    const [members] = await core.probe();
    expect(members).toMatchObject({ url: worker.url, role: "members", reachable: false });
    expect(members?.error).toContain("WORKER_TOKEN");
  });

  it("none at all: the council fails within seconds, saying to send WORKER_TOKEN", async () => {
    const { finished, events, ms } = await council("pair", {});
    expect(finished.status).toBe("failed");
    expect(ms).toBeLessThan(5_000);
    for (const failure of failures(events)) {
      expect(failure.kind).toBe("refused");
      expect(failure.message).toContain("Authorization: Bearer <WORKER_TOKEN>");
    }
  });
});

describe("a member model outside the worker's WORKER_MODELS", () => {
  it("fails that member with a message naming the allowed models; the others answer", async () => {
    const { finished, events, ms } = await council("one-outside", { WORKER_TOKEN: TOKEN });
    expect(finished.status).toBe("partial");
    expect(ms).toBeLessThan(5_000);
    const [failure, ...others] = failures(events);
    expect(others).toEqual([]);
    expect(failure?.member).toBe("Charlie");
    expect(failure?.message).toContain('model "member-c" is not allowed on this worker; allowed models: member-a, member-b (WORKER_MODELS)');
    expect(failure?.message).toContain(worker.url);
    expect(failure?.message).toContain("add the model to WORKER_MODELS on that worker, or use one it allows in the preset");
    // Not the advice for a model that is not pulled: it is pulled, and pulling it changes nothing.
    expect(failure?.message).not.toContain("ollama pull");
    expect(events.filter((event) => event.type === "member-answered").map((event) => (event as { member: string }).member).sort()).toEqual(["Alpha", "Bravo"]);
  });

  it("fails the council within seconds when no member may run there, with the same message", async () => {
    const { finished, ms } = await council("all-outside", { WORKER_TOKEN: TOKEN });
    expect(finished.status).toBe("failed");
    expect(ms).toBeLessThan(5_000);
    expect(finished.reason).toContain("allowed models: member-a, member-b (WORKER_MODELS)");
  });
});
