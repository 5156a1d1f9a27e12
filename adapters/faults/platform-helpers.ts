import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedCall as DiscordCall } from "../../test-support/fake-discord/index.js";
import type { FakeOllama, RecordedRequest } from "../../test-support/fake-ollama/index.js";
import type { RecordedCall as SlackCall } from "../../test-support/fake-slack/index.js";
import { cardDescription } from "../discord/discord-world.js";

// What the platform fault cases look at: which calls belong to one card, how many times each
// model was really asked, what was logged at error level, and a COUNCIL_DB two bots can share.

/** A COUNCIL_DB file outside any world's own folder, so it outlives the bot that made it. */
export async function sharedCouncilDb(): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "council-faults-"));
  return { path: join(dir, "council.db"), remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The generations a model (or, without one, any model) was asked for: not an empty preload, nor
 * the chairman's reads ahead (num_predict 1), which read the prompt so far and answer nothing.
 */
export function chatsTo(fake: Pick<FakeOllama, "requests">, model?: string): RecordedRequest[] {
  return fake.requests.filter(
    (request) =>
      request.path === "/api/chat" &&
      (model === undefined || request.model === model) &&
      ((request.body as { messages?: unknown[] } | undefined)?.messages?.length ?? 0) > 0 &&
      request.options?.num_predict !== 1,
  );
}

/** How many times each model was asked to answer and to review: one council asks each member once for each. */
export function chatCounts(fake: Pick<FakeOllama, "requests">, models: readonly string[]): Record<string, { answers: number; ballots: number }> {
  return Object.fromEntries(
    models.map((model) => {
      const chats = chatsTo(fake, model);
      return [model, { answers: chats.filter((chat) => chat.format === undefined).length, ballots: chats.filter((chat) => chat.format !== undefined).length }];
    }),
  );
}

/** What was logged at error level (pino's 50) or worse. */
export function errorLogs(logs: { entries(): Array<Record<string, unknown>> }): Array<Record<string, unknown>> {
  return logs.entries().filter((entry) => typeof entry.level === "number" && entry.level >= 50);
}

export const after =
  <C extends { id: number }>(mark: number) =>
  (predicate: (call: C) => boolean) =>
  (call: C) =>
    call.id > mark && predicate(call);

// Discord.

export const contentOf = (call: DiscordCall) => String((call.body as { content?: string } | undefined)?.content ?? "");

/** A card edit (through the interaction token or with the bot token) whose headline starts with `headline`. */
export const discordCardSays = (headline: string) => (call: DiscordCall) =>
  (call.route === "editOriginal" || call.route === "editMessage") && cardDescription(call).startsWith(`**${headline}`);

/** Every successful edit of one card: through the interaction's token, or of its channel message. */
export function discordCardEdits(calls: readonly DiscordCall[], token: string, messageId: string): DiscordCall[] {
  return calls.filter(
    (call) =>
      call.status !== undefined &&
      call.status < 300 &&
      ((call.route === "editOriginal" && call.path.includes(token)) || (call.route === "editMessage" && call.params.messageId === messageId)),
  );
}

// Slack.

export const slackText = (call: SlackCall) => String(call.args.text ?? "");

/** A chat.update of the card at `ts` that Slack took, whose text says `what`. */
export const slackCardSays = (ts: string, what: string | RegExp) => (call: SlackCall) =>
  call.method === "chat.update" && call.ok === true && call.args.ts === ts && (typeof what === "string" ? slackText(call).includes(what) : what.test(slackText(call)));
