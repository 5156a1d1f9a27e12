import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBotConfig } from "../config/index.js";
import { type Core, createCore } from "../src/core.js";
import { type OpenedCouncilService, openCouncilService } from "../src/open-council-service.js";
import { type FakeModel, startFakeOllama } from "./fake-ollama/index.js";
import { captureLogs } from "./log-capture.js";
import { startWorker } from "./start-worker.js";

// For the front ends' end-to-end tests: the real core, through a real worker, in front of the
// fake Ollama, with a presets file of fake models. The "trio" preset seats two sound members
// and one whose model answers 500; "pair" seats the two sound ones.

export const BROKEN_MODEL_ERROR = "llama runner process has terminated: exit status 2";

const MODELS: Record<string, FakeModel> = {
  "member-a": {},
  "member-b": {},
  "member-broken": { fault: { kind: "http-error", status: 500, message: BROKEN_MODEL_ERROR } },
  chair: { answer: "The chairman's answer: the sky is blue because air scatters blue light most." },
};

const LIMITS = { callTimeoutSeconds: 20, stageTimeoutSeconds: 30 };

/** The presets of the test council, for a test that starts the bot by other means. */
export const TEST_PRESETS = {
  default: "trio",
  presets: {
    trio: {
      members: [
        { name: "Alpha", model: "member-a" },
        { name: "Bravo", model: "member-b" },
        { name: "Broken", model: "member-broken" },
      ],
      chairman: "chair",
      limits: LIMITS,
    },
    pair: {
      members: [
        { name: "Alpha", model: "member-a" },
        { name: "Bravo", model: "member-b" },
      ],
      chairman: "chair",
      limits: LIMITS,
    },
  },
};

/** A model that can see, and presets with and without one, for the tests of attached files. */
export const SEEING_MODEL = "member-eye";
export const IMAGE_DESCRIPTION = "The image shows a red square on a white background.";
export const FILE_TEST_COUNCIL = {
  models: { [SEEING_MODEL]: { vision: true, answer: IMAGE_DESCRIPTION } } satisfies Record<string, FakeModel>,
  presets: {
    sight: {
      members: [
        { name: "Eye", model: SEEING_MODEL },
        { name: "Alpha", model: "member-a" },
      ],
      chairman: "chair",
      limits: LIMITS,
    },
  },
};

/**
 * Point the bot at other URLs (one where nothing listens, say) with `workerUrl` or
 * `chairmanUrl`; `env` adds settings (a chat platform's, say); `decodeTokensPerSecond` slows
 * the models down, so a front end's intermediate states can be seen.
 */
export async function startTestCouncil(
  settings: {
    workerUrl?: string;
    chairmanUrl?: string;
    env?: Record<string, string>;
    decodeTokensPerSecond?: number;
    /** More fake models (one that can see, say), beside the test council's. */
    models?: Record<string, FakeModel>;
    /** More presets, beside trio and pair. */
    presets?: Record<string, unknown>;
  } = {},
) {
  const pace = settings.decodeTokensPerSecond;
  const all = { ...MODELS, ...settings.models };
  const models = pace === undefined ? all : Object.fromEntries(Object.entries(all).map(([name, model]) => [name, { ...model, decodeTokensPerSecond: pace }]));
  const fake = await startFakeOllama({ models });
  const worker = await startWorker(fake.url);
  const dir = await mkdtemp(join(tmpdir(), "council-console-"));
  const presetsFile = join(dir, "presets.json");
  await writeFile(presetsFile, JSON.stringify({ ...TEST_PRESETS, presets: { ...TEST_PRESETS.presets, ...settings.presets } }));
  const config = loadBotConfig({
    WORKER_URLS: settings.workerUrl ?? worker.url,
    CHAIRMAN_URL: settings.chairmanUrl ?? fake.url,
    COUNCIL_CONFIG: presetsFile,
    COUNCIL_DB: join(dir, "council.db"),
    ...settings.env,
  });
  const logs = captureLogs();
  const services: OpenedCouncilService[] = [];
  return {
    fake,
    /** The worker in front of the fake; a fault test may kill it (see `killWorker` in adapters/faults/fault-helpers.ts). */
    worker,
    config,
    logs,
    openCore: () => createCore(config, logs.logger),
    /** The chat bots' council service over COUNCIL_DB (a file in a fresh folder unless `env` names one); closed with the council. */
    openCouncils(core: Pick<Core, "engine">): OpenedCouncilService & { silence(): void } {
      // An engine that silence() stops, as a killed process's councils would stop calling the models.
      const killed = new AbortController();
      const engine = {
        runCouncil: (...[question, preset, run = {}]: Parameters<Core["engine"]["runCouncil"]>) =>
          core.engine.runCouncil(question, preset, { ...run, signal: run.signal ? AbortSignal.any([run.signal, killed.signal]) : killed.signal }),
        checkAttachments: (...args: Parameters<Core["engine"]["checkAttachments"]>) => core.engine.checkAttachments(...args),
      };
      const opened = openCouncilService(config, engine, logs.logger);
      services.push(opened);
      return { ...opened, silence: () => killed.abort(new Error("the bot was killed")) };
    },
    async close() {
      for (const service of services.splice(0)) service.close();
      await worker.close();
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
