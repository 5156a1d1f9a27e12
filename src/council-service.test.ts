import Database from "better-sqlite3";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { completedCouncil, stats } from "../test-support/scripted-councils.js";
import { createScriptedLlm } from "../test-support/scripted-llm.js";
import { createFairAdmission } from "./admission/fair-admission.js";
import { type CouncilEngine, createCouncilEngine, type RunOptions } from "./council/engine.js";
import type { CouncilEvent } from "./council/events.js";
import { preset } from "./council/test-helpers.js";
import { type CouncilRun, type CouncilService, createCouncilService, INTERRUPTED_BY_RESTART, INTERRUPTED_BY_STOP } from "./council-service.js";
import { BUILD_LOG, PHOTO, REPORT_PDF, sampleImage } from "../test-support/attachment-samples.js";
import type { Attachment } from "./files/index.js";
import { createCouncilStore, type CouncilStore } from "./store/council-store.js";
import { migrate } from "./store/migrations.js";

// The service around the engine, with a scripted engine: each council plays completedCouncil()
// once released (or at once), and ends "cancelled" when its signal is aborted first. An image
// it is given is described (as the engine does when a member cannot see) when `descriptions`
// names it. Whether a preset can take the files is the real engine's answer, over a scripted
// LLM whose models see when `capabilities` says so.

function scriptedEngine(files: { descriptions?: Record<string, string>; capabilities?: Record<string, string[]> } = {}) {
  const releases: Array<() => void> = [];
  const calls: Array<{ question: string; options: RunOptions }> = [];
  let hold = false;
  const models = createScriptedLlm({}, { capabilities: files.capabilities ?? {} }).client;
  const engine: Pick<CouncilEngine, "runCouncil" | "checkAttachments"> = {
    checkAttachments: createCouncilEngine({ members: models, chairman: models }).checkAttachments,
    runCouncil(question, _preset, options = {}) {
      calls.push({ question, options });
      return (async function* (): AsyncGenerator<CouncilEvent> {
        const [started, ...rest] = completedCouncil();
        yield started as CouncilEvent;
        for (const file of options.attachments ?? []) {
          const text = file.kind === "image" ? files.descriptions?.[file.name] : undefined;
          if (text) yield { type: "image-described", image: file.name, sha256: file.sha256, member: "Llama", model: "llava:7b", text, wallMs: 900, stats: stats("llava:7b", "answers", 40, 900) };
        }
        if (hold) {
          const signal = options.signal;
          await new Promise<void>((resolve) => {
            releases.push(resolve);
            signal?.addEventListener("abort", () => resolve(), { once: true });
          });
          if (signal?.aborted) {
            const finished = rest.at(-1) as Extract<CouncilEvent, { type: "council-finished" }>;
            yield { ...finished, status: "failed", reason: "the council was cancelled" };
            return;
          }
        }
        yield* rest;
      })();
    },
  };
  return {
    engine,
    calls,
    holdCouncils: () => (hold = true),
    /** Councils that reached their hold and wait to be released. */
    held: () => releases.length,
    releaseNext: () => releases.shift()?.(),
  };
}

async function collect(run: CouncilRun, until?: (event: CouncilEvent) => boolean): Promise<CouncilEvent[]> {
  const events: CouncilEvent[] = [];
  for await (const event of run.events) {
    events.push(event);
    if (until?.(event)) break;
  }
  return events;
}

function opened(service: CouncilService, asker: string, question = "Why is the sky blue?", threadKey?: string, attachments?: Attachment[]): CouncilRun {
  const result = service.open({ platform: "slack", asker, question, preset: preset(), ...(threadKey && { threadKey }), ...(attachments && { attachments }) });
  if (!result.opened) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.run;
}

describe("the council service", () => {
  let db: Database.Database;
  let store: CouncilStore;
  let script: ReturnType<typeof scriptedEngine>;
  let service: CouncilService;
  beforeEach(() => {
    db = new Database(":memory:");
    migrate(db);
    store = createCouncilStore(db);
    script = scriptedEngine({ descriptions: { "photo.png": "A bar chart of revenue by quarter, rising from Q1 to Q4." } });
    const admission = createFairAdmission({ maxInFlight: 1, maxWaiting: 10, userWaiting: 3, userPerHour: 0 });
    service = createCouncilService({ engine: script.engine, admission, store, logger: pino({ level: "silent" }) });
  });
  afterEach(() => db.close());

  it("records a council from queued to completed, and frees its seat", async () => {
    const run = opened(service, "U1");
    expect(store.get(run.id)?.status).toBe("queued");
    const events = await collect(run);
    run.close();
    expect(events.some((event) => event.type === "queued")).toBe(false);
    expect(store.get(run.id)).toMatchObject({ status: "completed", platform: "slack", asker: "U1", question: "Why is the sky blue?" });
    expect(service.inFlight()).toBe(0);
  });

  it("shows a waiting council its place, and updates it as the ones ahead end", async () => {
    script.holdCouncils();
    const first = opened(service, "U1");
    const firstEvents = collect(first);
    await expect.poll(() => script.calls.length).toBe(1);
    const second = opened(service, "U2");
    const third = opened(service, "U3");
    const secondSeen: CouncilEvent[] = [];
    const thirdSeen: CouncilEvent[] = [];
    const secondEvents = (async () => {
      for await (const event of second.events) secondSeen.push(event);
    })();
    const thirdEvents = (async () => {
      for await (const event of third.events) thirdSeen.push(event);
    })();
    await expect.poll(() => thirdSeen.length).toBe(1);
    expect(secondSeen).toEqual([{ type: "queued", ahead: 0 }]);
    expect(thirdSeen).toEqual([{ type: "queued", ahead: 1 }]);
    script.releaseNext();
    await firstEvents;
    first.close();
    await expect.poll(() => thirdSeen.length).toBe(2);
    expect(thirdSeen[1]).toEqual({ type: "queued", ahead: 0 });
    await expect.poll(() => script.held()).toBe(1);
    expect(secondSeen[1]?.type).toBe("council-started");
    script.releaseNext();
    await secondEvents;
    second.close();
    await expect.poll(() => script.held()).toBe(1);
    script.releaseNext();
    await thirdEvents;
    third.close();
    expect([first, second, third].map((run) => store.get(run.id)?.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("far back in a long queue, shows every fifth place; near the front, every one", async () => {
    script.holdCouncils();
    const runs = ["U0", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8"].map((user) => opened(service, user));
    const seen: CouncilEvent[][] = runs.map(() => []);
    const done = runs.map(async (run, i) => {
      for await (const event of run.events) {
        seen[i]?.push(event);
        if (event.type === "council-finished") run.close();
      }
    });
    const placesOfLast = () => (seen[8] ?? []).flatMap((event) => (event.type === "queued" ? [event.ahead] : []));
    await expect.poll(placesOfLast).toEqual([7]);
    for (let i = 0; i < 8; i += 1) {
      await expect.poll(() => script.held()).toBe(1);
      script.releaseNext();
    }
    await expect.poll(() => script.held()).toBe(1);
    script.releaseNext();
    await Promise.all(done);
    expect(placesOfLast()).toEqual([7, 5, 4, 3, 2, 1, 0]);
  });

  it("gives the seat to the next council as soon as one ends, before its card is done", async () => {
    const first = opened(service, "U1");
    await collect(first);
    expect(service.inFlight()).toBe(0);
    const second = opened(service, "U2");
    const events = await collect(second);
    expect(events[0]?.type).toBe("council-started");
    first.close();
    second.close();
  });

  it("gives a follow-up its conversation's earlier answers, read from the store when it starts", async () => {
    const first = opened(service, "U1", "What is Rayleigh scattering?", "C1:1.0");
    await collect(first);
    first.close();
    const followUp = opened(service, "U1", "And at sunset?", "C1:1.0");
    await collect(followUp);
    followUp.close();
    expect(script.calls[1]?.options.context).toEqual([{ question: "What is Rayleigh scattering?", answer: "The sky is blue because air scatters blue light most." }]);
    expect(service.hasThread("C1:1.0")).toBe(true);
  });

  it("passes the question's files to the engine and records them with every fact, never an image's bytes", async () => {
    const run = opened(service, "U1", "What does the chart say about the report?", "C1:1.0", [REPORT_PDF, PHOTO]);
    await collect(run);
    run.close();
    expect(script.calls[0]?.options.attachments).toEqual([REPORT_PDF, PHOTO]);
    const rows = db.prepare("SELECT * FROM council_files WHERE council_id = ? ORDER BY position").all(run.id);
    expect(rows).toEqual([
      {
        council_id: run.id,
        position: 0,
        kind: "document",
        name: "report.pdf",
        type: "pdf",
        size: 48_213,
        sha256: REPORT_PDF.sha256,
        pages: 2,
        characters_total: 5_200,
        characters_used: 4_000,
        width: null,
        height: null,
        text: REPORT_PDF.text,
        description: null,
      },
      {
        council_id: run.id,
        position: 1,
        kind: "image",
        name: "photo.png",
        type: "png",
        size: 120_000,
        sha256: PHOTO.sha256,
        pages: null,
        characters_total: null,
        characters_used: null,
        width: 800,
        height: 600,
        text: null,
        description: "A bar chart of revenue by quarter, rising from Q1 to Q4.",
      },
    ]);
    const everything = JSON.stringify(db.prepare("SELECT * FROM council_files").all()) + JSON.stringify(db.prepare("SELECT * FROM councils").all());
    expect(everything).not.toContain(PHOTO.image.base64);
  });

  it("gives a follow-up the thread's earlier files from the store: documents as they were, an image as its description, then its own", async () => {
    // A screenshot no member described (every member could see it) cannot be carried: its bytes were not kept.
    const screenshot = sampleImage("screenshot.png");
    const first = opened(service, "U1", "What does the chart say about the report?", "C1:1.0", [REPORT_PDF, PHOTO, screenshot]);
    await collect(first);
    first.close();
    const followUp = opened(service, "U1", "Does the build failure explain the dip?", "C1:1.0", [BUILD_LOG]);
    await collect(followUp);
    followUp.close();
    const photoDescription = {
      kind: "document",
      type: "text",
      name: "photo.png (description)",
      size: Buffer.byteLength("A bar chart of revenue by quarter, rising from Q1 to Q4."),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      pages: undefined,
      characters: { total: 56, used: 56 },
      text: "A bar chart of revenue by quarter, rising from Q1 to Q4.",
    };
    expect(script.calls[1]?.options.attachments).toEqual([REPORT_PDF, photoDescription, BUILD_LOG]);
    // The follow-up's record holds its own file; the earlier ones stay its thread's.
    expect(db.prepare("SELECT name FROM council_files WHERE council_id = ?").all(followUp.id)).toEqual([{ name: "build.log" }]);

    // The report asked about again comes once, as the question's own, after the earlier files.
    const again = opened(service, "U1", "Read the report again.", "C1:1.0", [REPORT_PDF]);
    await collect(again);
    again.close();
    expect(script.calls[2]?.options.attachments).toEqual([photoDescription, BUILD_LOG, REPORT_PDF]);

    // Another conversation carries none of them; a question without files gives the engine none.
    const elsewhere = opened(service, "U1", "Why is the sky blue?", "C2:1.0");
    await collect(elsewhere);
    elsewhere.close();
    expect(script.calls[3]?.options.attachments).toBeUndefined();
  });

  it("refuses files the preset cannot take with the engine's message, before taking a seat", async () => {
    expect(await service.checkAttachments(preset(), [PHOTO])).toEqual({
      kind: "question",
      message: expect.stringMatching(/^None of this preset's models can see images \(alpha:1b, beta:1b, gamma:1b\).*llava, gemma3 or qwen2\.5vl/),
    });
    expect(await service.checkAttachments(preset(), [REPORT_PDF])).toBeUndefined();
    expect(service.inFlight() + service.waiting()).toBe(0);
    const seeing = scriptedEngine({ capabilities: { "beta:1b": ["completion", "vision"] } });
    const admission = createFairAdmission({ maxInFlight: 1, maxWaiting: 10, userWaiting: 3, userPerHour: 0 });
    const withVision = createCouncilService({ engine: seeing.engine, admission, store, logger: pino({ level: "silent" }) });
    expect(await withVision.checkAttachments(preset(), [REPORT_PDF, PHOTO])).toBeUndefined();
  });

  it("refuses a question that is too long before taking a seat or a record", () => {
    const result = service.open({ platform: "discord", asker: "1", question: "x".repeat(501), preset: preset() });
    expect(result).toEqual({ opened: false, refusal: { kind: "question", message: expect.stringMatching(/501 characters long; the limit is 500/) } });
    expect(service.inFlight() + service.waiting()).toBe(0);
  });

  it("records a council that could not be shown as failed, and frees its seat", () => {
    const run = opened(service, "U1");
    run.close("not_in_channel");
    expect(store.get(run.id)).toMatchObject({ status: "failed", reason: "not_in_channel" });
    expect(service.inFlight()).toBe(0);
    expect(opened(service, "U1")).toBeDefined();
  });

  it("on stop: refuses new councils, tells waiting ones at once, interrupts running ones after the grace", async () => {
    script.holdCouncils();
    const running = opened(service, "U1");
    const runningEvents = collect(running);
    await expect.poll(() => script.calls.length).toBe(1);
    const waiting = opened(service, "U2");
    const waitingEvents = collect(waiting);
    await expect.poll(() => service.waiting()).toBe(1);

    const startedAt = performance.now();
    const drained = service.drain(300);
    expect(service.open({ platform: "slack", asker: "U3", question: "q?", preset: preset() })).toMatchObject({ opened: false, refusal: { kind: "closed" } });
    expect((await waitingEvents).at(-1)).toEqual({ type: "interrupted", reason: INTERRUPTED_BY_STOP });
    waiting.close();
    const last = (await runningEvents).at(-1);
    running.close();
    expect(await drained).toEqual({ finished: 0, interrupted: 2 });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(last).toEqual({ type: "interrupted", reason: INTERRUPTED_BY_STOP });
    expect(store.get(running.id)).toMatchObject({ status: "interrupted", reason: INTERRUPTED_BY_STOP });
    expect(store.get(waiting.id)).toMatchObject({ status: "interrupted", reason: INTERRUPTED_BY_STOP });
  });

  it("on stop: lets a council that finishes within the grace finish", async () => {
    script.holdCouncils();
    const run = opened(service, "U1");
    const events = collect(run);
    await expect.poll(() => script.calls.length).toBe(1);
    const drained = service.drain(5_000);
    setTimeout(() => script.releaseNext(), 50);
    expect((await events).at(-1)).toMatchObject({ type: "council-finished", status: "completed" });
    run.close();
    expect(await drained).toEqual({ finished: 1, interrupted: 0 });
    expect(store.get(run.id)?.status).toBe("completed");
  });

  it("on a stop now: interrupts running and waiting councils at once, and records interrupted those whose cards did not get there in time", async () => {
    script.holdCouncils();
    const running = opened(service, "U1");
    const runningEvents = collect(running);
    await expect.poll(() => script.calls.length).toBe(1);
    const waiting = opened(service, "U2");
    const waitingEvents = collect(waiting);
    // Nothing shows this one (its platform is stuck, say): its events are never read.
    const stuck = opened(service, "U3");
    await expect.poll(() => service.waiting()).toBe(2);

    const stopped = service.stopNow(200);
    expect(service.open({ platform: "slack", asker: "U4", question: "q?", preset: preset() })).toMatchObject({ opened: false, refusal: { kind: "closed" } });
    expect((await runningEvents).at(-1)).toEqual({ type: "interrupted", reason: INTERRUPTED_BY_STOP });
    expect((await waitingEvents).at(-1)).toEqual({ type: "interrupted", reason: INTERRUPTED_BY_STOP });
    running.close();
    waiting.close();

    expect(await stopped).toEqual({ interrupted: 3, cardsLeft: 1 });
    for (const run of [running, waiting, stuck]) expect(store.get(run.id)).toMatchObject({ status: "interrupted", reason: INTERRUPTED_BY_STOP });
  });

  it("at start, hands back what the last run left unfinished, now interrupted", () => {
    const run = opened(service, "U1");
    run.place({ teamId: "T1", channel: "C1", ts: "3.0" });
    const interrupted = service.recoverInterrupted();
    expect(interrupted).toMatchObject([{ id: run.id, status: "interrupted", reason: INTERRUPTED_BY_RESTART, place: { teamId: "T1", channel: "C1", ts: "3.0" } }]);
  });
});
