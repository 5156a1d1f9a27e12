import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import type { FakeMessage, RecordedCall } from "../../test-support/fake-discord/index.js";
import type { FakeModel } from "../../test-support/fake-ollama/index.js";
import type { CouncilRecord } from "../../src/store/council-record.js";
import { cardDescription, type DiscordWorld, isFinalCard, startDiscordWorld, type WorldOptions } from "../discord/discord-world.js";

// The LLM side of the fault-injection suite: a Discord world whose presets seat one faulty
// member (or a faulty chairman) beside two sound ones, with small limits so that a deadline
// is reached in seconds, and a way to follow one council from /council to its record.

/** Small on purpose: a hung call ends in 2 s, a stage in 4 s. A sound call takes well under 1 s. */
export const FAULT_LIMITS = { callTimeoutSeconds: 2, stageTimeoutSeconds: 4 } as const;
/**
 * For the busy member: a 503 without Retry-After is waited out for 1 s, so its call needs the
 * room for one wait and its answer (about 0.5 s), with a margin for a loaded machine.
 */
export const BUSY_LIMITS = { callTimeoutSeconds: 3, stageTimeoutSeconds: FAULT_LIMITS.stageTimeoutSeconds } as const;
const STAGES = 3; // opinions, peer review, synthesis
/** What the bot may spend after the engine's last deadline to show the end: throttled edits, a retried final card. */
const DELIVERY_SLACK_MS = 5_000;
/**
 * The latest a council of a fault preset can show its final card: every stage ends by its
 * deadline (late calls are cancelled), so the sum of the stage deadlines bounds the engine.
 */
export const COUNCIL_DEADLINE_MS = STAGES * FAULT_LIMITS.stageTimeoutSeconds * 1000 + DELIVERY_SLACK_MS;
/** A test's own timeout, for `councils` councils asked one after the other: past the no-hang bound, so that bound is what fails. */
export const caseTimeoutMs = (councils = 1) => councils * (COUNCIL_DEADLINE_MS + DELIVERY_SLACK_MS) + 5_000;

/** As fast as the world's sound models (the Discord world paces them at 60 tokens/s). */
const PACE = 60;

export const CRASH_ERROR = "llama runner process has terminated: exit status 2";
export const MID_STREAM_ERROR = "an error was encountered while running the model: CUDA error: out of memory";
export const CHAIR_ERROR = "llama runner process has terminated: signal: killed";

/** Models added to the fake Ollama before the first council, so the router's first look at the tags lists them. */
export const FAULT_MODELS: Record<string, FakeModel> = {
  "member-crash": { decodeTokensPerSecond: PACE, fault: { kind: "http-error", status: 500, message: CRASH_ERROR } },
  "member-cut": { decodeTokensPerSecond: PACE, fault: { kind: "error-mid-stream", afterTokens: 4, message: MID_STREAM_ERROR } },
  "member-hang": { decodeTokensPerSecond: PACE, fault: { kind: "hang" } },
  "member-garbled": { decodeTokensPerSecond: PACE, fault: { kind: "non-json" } },
  // Set again by the busy cases (setModel resets the fault's counter).
  "member-busy": { decodeTokensPerSecond: PACE },
  // Pulled when the council starts, removed before it is asked (the model-not-pulled case).
  "member-gone": { decodeTokensPerSecond: PACE },
  "chair-broken": { decodeTokensPerSecond: PACE, fault: { kind: "http-error", status: 500, message: CHAIR_ERROR } },
};

const SOUND = [
  { name: "Alpha", model: "member-a" },
  { name: "Bravo", model: "member-b" },
];

const withMember = (member: { name: string; model: string }, limits: { callTimeoutSeconds: number; stageTimeoutSeconds: number } = FAULT_LIMITS) => ({
  members: [...SOUND, member],
  chairman: "chair",
  limits,
});

/** One preset per fault: two sound members beside the faulty one (or a faulty chairman). */
export const FAULT_PRESETS = {
  default: "sound",
  presets: {
    sound: { members: SOUND, chairman: "chair", limits: FAULT_LIMITS },
    crash: withMember({ name: "Crash", model: "member-crash" }),
    cut: withMember({ name: "Cutoff", model: "member-cut" }),
    hang: withMember({ name: "Sleeper", model: "member-hang" }),
    garbled: withMember({ name: "Garbler", model: "member-garbled" }),
    busy: withMember({ name: "Busy", model: "member-busy" }, BUSY_LIMITS),
    unpulled: withMember({ name: "Missing", model: "member-unpulled" }),
    // Two members on one model: behind a worker with one slot and no queue, one of them meets its 503.
    twins: withMember({ name: "Twin", model: "member-a" }),
    gone: withMember({ name: "Gone", model: "member-gone" }),
    "chair-fails": { members: SOUND, chairman: "chair-broken", limits: FAULT_LIMITS },
  },
};

export type FaultWorld = DiscordWorld & { presetsDir: string };

/** The Discord world (real bot, core, worker, fake Ollama) with the fault presets and models. */
export async function startFaultWorld(options: WorldOptions = {}): Promise<FaultWorld> {
  const presetsDir = await mkdtemp(join(tmpdir(), "council-faults-"));
  const presetsFile = join(presetsDir, "presets.json");
  await writeFile(presetsFile, JSON.stringify(FAULT_PRESETS));
  const world = await startDiscordWorld({ ...options, env: { COUNCIL_CONFIG: presetsFile, ...options.env } });
  for (const [name, model] of Object.entries(FAULT_MODELS)) world.council.fake.setModel(name, model);
  const close = world.close;
  return Object.assign(world, {
    presetsDir,
    async close() {
      await close();
      await rm(presetsDir, { recursive: true, force: true });
    },
  });
}

/** A URL where nothing listens: a port the OS just handed out and took back. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Kills the world's worker as a crash would: it stops listening and every open connection is cut, mid-answer or not. */
export async function killWorker(world: DiscordWorld): Promise<void> {
  const { worker } = world.council;
  const closing = worker.app.close();
  worker.app.server.closeAllConnections();
  await closing;
}

/** Everything one council left behind: on Discord, in the record, and how long it took to end. */
export interface FollowedCouncil {
  question: string;
  /** The last card edit, which said how the council ended. */
  final: RecordedCall;
  finalText: string;
  /** The descriptions of every final-looking edit of this card (more than one only if the same end was sent twice). */
  finalTexts: string[];
  /** Milliseconds from /council to the final card. */
  elapsedMs: number;
  /** The interaction's callbacks: one deferred reply, or the interaction was answered twice. */
  acks: RecordedCall[];
  /** Follow-up messages on the interaction: a second message the user would see. */
  followUps: RecordedCall[];
  /** Messages in the channel that show this council's card (the deferred reply turned card). */
  cards: FakeMessage[];
  /** The card message as Discord holds it once everything is over. */
  cardNow: FakeMessage | undefined;
  threads: RecordedCall[];
  threadId: string | undefined;
  threadPosts: string[];
  /** Every record with this question (one, unless the council was recorded twice). */
  records: CouncilRecord[];
  record: CouncilRecord | undefined;
}

/**
 * Asks /council, waits for the final card within `deadlineMs` (the no-hang bound) and for the
 * council to leave the bot (its thread posts drained, its seat freed), then gathers what it left.
 * The question must be unique within the world: it is how the card and the record are found.
 */
export async function askAndFollow(world: DiscordWorld, question: string, preset: string, deadlineMs = COUNCIL_DEADLINE_MS): Promise<FollowedCouncil> {
  const { discord } = world;
  const mark = discord.calls.at(-1)?.id ?? 0;
  const startedAt = performance.now();
  const interaction = await world.ask(question, { preset });
  const ofCard = (call: RecordedCall) => call.id > mark && call.path.includes(interaction.token);
  const final = await discord.waitForCall((call) => ofCard(call) && isFinalCard(call), deadlineMs);
  const elapsedMs = performance.now() - startedAt;
  await vi.waitFor(() => {
    if (world.councils.inFlight() + world.councils.waiting() > 0) throw new Error("the council has not left the bot yet");
  }, { timeout: DELIVERY_SLACK_MS, interval: 20 });

  const mine = discord.calls.filter((call) => call.id > mark);
  const cardId = discord.interaction(interaction.id)?.originalMessageId;
  const threads = mine.filter((call) => call.route === "startThreadFromMessage" && call.params.messageId === cardId);
  const threadId = (threads[0]?.response as { id?: string } | undefined)?.id;
  const titled = (message: FakeMessage) => String((message.embeds[0] as { title?: string } | undefined)?.title ?? "").includes(question);
  const records = world.store.recent(200).filter((record) => record.question === question);
  return {
    question,
    final,
    finalText: cardDescription(final),
    finalTexts: mine.filter((call) => ofCard(call) && isFinalCard(call)).map(cardDescription),
    elapsedMs,
    acks: mine.filter((call) => call.route === "interactionCallback" && call.path.includes(interaction.id)),
    followUps: mine.filter((call) => call.route === "createFollowup" && call.path.includes(interaction.token)),
    cards: discord.messagesIn(discord.channelId).filter(titled),
    cardNow: cardId === undefined ? undefined : discord.message(discord.channelId, cardId),
    threads,
    threadId,
    threadPosts: threadId === undefined ? [] : discord.messagesIn(threadId).map((message) => message.content),
    records,
    record: records[0],
  };
}
