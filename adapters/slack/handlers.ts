import type { Logger } from "pino";
import { QuestionRejectedError } from "../../src/council/engine.js";
import type { Core } from "../../src/core.js";
import type { HealthReporter } from "../../src/health.js";
import type { RecentErrors } from "../../src/recent-errors.js";
import type { CouncilGate } from "../shared/council-gate.js";
import { DeliveryError } from "../shared/delivery-error.js";
import type { Schedule } from "../shared/live-message.js";
import { refusalText } from "../shared/refusal-text.js";
import type { ThreadMemory } from "../shared/thread-memory.js";
import type { EventDedupe } from "./event-dedupe.js";
import { escapeSlack } from "./mrkdwn.js";
import { healthMessage } from "./render-health.js";
import { type SlackApi, slackErrorOf } from "./slack-api.js";
import { showSlackCouncil } from "./show-council.js";

// What the Slack app does with a mention, a DM, /council and /council-health, whichever
// receiver (Socket Mode or HTTP) brought it. Each handler is its own error boundary.

export interface SlackHandlerDeps {
  core: Pick<Core, "engine" | "presets">;
  api: SlackApi;
  gate: CouncilGate;
  threads: ThreadMemory;
  dedupe: EventDedupe;
  health: HealthReporter;
  errors: RecentErrors;
  /** The workspace's shared chat.update budget. */
  workspace: (teamId: string) => Schedule;
  adminUserIds: readonly string[];
  botUserId: () => string | undefined;
  minEditIntervalMs: number;
  logger: Logger;
}

export interface Mention {
  eventId: string;
  teamId: string;
  channel: string;
  user: string;
  text: string;
  ts: string;
  threadTs?: string;
}

/** How a slash command answers its user: privately, through its response_url. */
export type Respond = (message: { text: string; response_type?: "ephemeral" | "in_channel" }) => Promise<unknown>;

export interface SlashCommand {
  teamId: string;
  channel: string;
  user: string;
  text: string;
  respond: Respond;
}

const NOT_IN_CHANNEL = "I am not in this channel, so I cannot answer here. Invite me with `/invite @council`, then ask again.";
const CHANNEL_NOT_FOUND = "I cannot see this channel (it may be private or gone). Invite me to it, or ask in another channel.";

export function createSlackHandlers(deps: SlackHandlerDeps) {
  const { api, logger } = deps;

  async function guarded(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      logger.error({ err: error }, `${what} failed`);
      deps.errors.record(what, error instanceof Error ? error.message : String(error));
    }
  }

  /** Runs a council in a thread; `tell` reaches the asker privately when something stops it. */
  async function council(place: { teamId: string; channel: string; threadTs: string; user: string; question: string }, tell: (text: string) => Promise<unknown>) {
    const threadKey = `${place.channel}:${place.threadTs}`;
    const entry = deps.gate.tryEnter(`slack:${place.teamId}:${place.user}`);
    if (!entry.admitted) return void (await tell(refusalText(entry)));
    const cancel = new AbortController();
    try {
      let events;
      try {
        events = deps.core.engine.runCouncil(place.question, deps.core.presets.get(), { signal: cancel.signal, context: deps.threads.recall(threadKey) });
      } catch (error) {
        if (error instanceof QuestionRejectedError) return void (await tell(error.message));
        throw error;
      }
      const shown = await showSlackCouncil({
        events,
        question: place.question,
        api,
        channel: place.channel,
        threadTs: place.threadTs,
        schedule: deps.workspace(place.teamId),
        minEditIntervalMs: deps.minEditIntervalMs,
        cancel,
        logger,
      });
      deps.errors.recordCouncil(shown.view);
      if (shown.view.verdict && shown.view.status !== "failed") deps.threads.remember(threadKey, { question: place.question, answer: shown.view.verdict.text });
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      const slackError = slackErrorOf(error);
      logger.warn({ slackError, channel: place.channel, kind: error.kind }, "cannot post the council in this channel");
      await tell(slackError === "channel_not_found" ? CHANNEL_NOT_FOUND : slackError === "not_in_channel" ? NOT_IN_CHANNEL : `I could not post the council here (${slackError ?? error.kind}).`).catch(() => {});
    } finally {
      cancel.abort();
      entry.leave();
    }
  }

  function onMention(mention: Mention): Promise<void> {
    return guarded(`mention ${mention.eventId}`, async () => {
      if (!deps.dedupe.firstTime(mention.eventId)) return void logger.info({ eventId: mention.eventId }, "a retried event; its council already runs");
      const threadTs = mention.threadTs ?? mention.ts;
      const tell = (text: string) => api.postEphemeral(mention.channel, mention.user, text, threadTs);
      await council({ teamId: mention.teamId, channel: mention.channel, threadTs, user: mention.user, question: withoutMention(mention.text, deps.botUserId()) }, tell);
    });
  }

  function onCouncilCommand(command: SlashCommand): Promise<void> {
    return guarded("/council", async () => {
      const tell = (text: string) => command.respond({ text, response_type: "ephemeral" });
      const question = command.text.trim();
      if (!question) return void (await tell("Ask a question: `/council Why is the sky blue?`"));
      let root;
      try {
        root = await api.post(command.channel, { text: `<@${command.user}> asked the council: ${escapeSlack(question)}`, blocks: [{ type: "section", text: { type: "mrkdwn", text: `<@${command.user}> asked the council:\n>${escapeSlack(question).replace(/\n/g, "\n>")}` } }] });
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        const slackError = slackErrorOf(error);
        logger.warn({ slackError, channel: command.channel }, "cannot post /council in this channel");
        return void (await tell(slackError === "channel_not_found" ? CHANNEL_NOT_FOUND : NOT_IN_CHANNEL));
      }
      await council({ teamId: command.teamId, channel: command.channel, threadTs: root.ts, user: command.user, question }, tell);
    });
  }

  function onHealthCommand(command: Pick<SlashCommand, "user" | "respond">): Promise<void> {
    return guarded("/council-health", async () => {
      if (!deps.adminUserIds.includes(command.user)) {
        return void (await command.respond({ text: "/council-health is for the council's admins (SLACK_ADMIN_USER_IDS).", response_type: "ephemeral" }));
      }
      const message = healthMessage(await deps.health.report(), deps.gate.inFlight(), deps.errors.list());
      await command.respond({ ...message, response_type: "ephemeral" });
    });
  }

  return { onMention, onCouncilCommand, onHealthCommand };
}

export type SlackHandlers = ReturnType<typeof createSlackHandlers>;

function withoutMention(text: string, botUserId: string | undefined): string {
  return (botUserId ? text.replaceAll(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), "") : text.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>/, "")).trim();
}
