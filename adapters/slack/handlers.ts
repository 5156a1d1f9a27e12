import type { Logger } from "pino";
import type { PresetCatalog } from "../../config/presets.js";
import type { CouncilService } from "../../src/council-service.js";
import type { HealthReporter } from "../../src/health.js";
import type { InsightsService } from "../../src/insights/insights-service.js";
import type { RecentErrors } from "../../src/recent-errors.js";
import { DeliveryError } from "../shared/delivery-error.js";
import type { Schedule } from "../shared/live-message.js";
import type { FileReference } from "../shared/file-reference.js";
import type { QuestionFiles } from "../shared/question-files.js";
import { refusalText } from "../shared/refusal-text.js";
import type { EventDedupe } from "../shared/event-dedupe.js";
import { sections } from "./blocks.js";
import { escapeSlack } from "./mrkdwn.js";
import { unreadableFilesText } from "./shared-files.js";
import { healthMessage } from "./render-health.js";
import { type SlackApi, slackErrorOf } from "./slack-api.js";
import { mayHaveBeenApplied } from "./slack-retry-policy.js";
import { showSlackCouncil } from "./show-council.js";
import { createStatsCommand } from "./stats-command.js";

// What the Slack app does with a mention, a DM, /council, /council-health and /council-stats, whichever
// receiver (Socket Mode or HTTP) brought it. Each handler is its own error boundary.

export interface SlackHandlerDeps {
  presets: PresetCatalog;
  councils: CouncilService;
  api: SlackApi;
  dedupe: EventDedupe;
  health: HealthReporter;
  insights: Pick<InsightsService, "answer">;
  errors: RecentErrors;
  /** The workspace's shared chat.update budget. */
  workspace: (teamId: string) => Schedule;
  adminUserIds: readonly string[];
  botUserId: () => string | undefined;
  minEditIntervalMs: number;
  /** COUNCIL_TIMELINE: each council's thread ends with its timeline image. */
  timeline: boolean;
  /** Fetches (with the bot token), reads and checks the files shared with a question. */
  files: QuestionFiles;
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
  /** The files shared with the message that the bot can fetch (eventFiles). */
  files: readonly FileReference[];
  /** The names of those shared without a link to fetch them (unreadableFiles). */
  unreadableFiles: readonly string[];
}

interface Asked {
  teamId: string;
  channel: string;
  user: string;
  question: string;
  files?: readonly FileReference[];
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
// /council's first message is not sent twice, so when Slack lost its answer the council has no thread.
const UNCONFIRMED = "Slack did not confirm the council's first message, so the council did not start; if the message appeared, it will get no answers. Ask again in a moment.";

export function createSlackHandlers(deps: SlackHandlerDeps) {
  const { api, logger } = deps;
  const stats = createStatsCommand(deps);

  async function guarded(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      logger.error({ err: error }, `${what} failed`);
      deps.errors.record(what, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Runs a council in a thread; `tell` reaches the asker privately when something stops it. The
   * thread is an existing one (a mention's) or one opened by posting its root, which only
   * happens once the council is taken, so a refusal leaves nothing in the channel.
   */
  async function council(asked: Asked, thread: string | (() => Promise<string>), tell: (text: string) => Promise<unknown>) {
    const cancel = new AbortController();
    const preset = deps.presets.get();
    const prepared = await deps.files(asked.files ?? [], preset, cancel.signal);
    if (!prepared.ready) return void (await tell(prepared.message));
    const opened = deps.councils.open({
      platform: "slack",
      asker: `${asked.teamId}:${asked.user}`,
      question: asked.question,
      preset,
      ...(typeof thread === "string" && { threadKey: `${asked.channel}:${thread}` }),
      signal: cancel.signal,
      ...(prepared.attachments.length > 0 && { attachments: prepared.attachments }),
    });
    if (!opened.opened) return void (await tell(refusalText(opened.refusal)));
    const { run } = opened;
    try {
      const threadTs = typeof thread === "string" ? thread : await thread();
      const shown = await showSlackCouncil({
        events: run.events,
        question: run.question,
        api,
        channel: asked.channel,
        threadTs,
        schedule: deps.workspace(asked.teamId),
        minEditIntervalMs: deps.minEditIntervalMs,
        cancel,
        onCard: (card) => run.place({ teamId: asked.teamId, ...card }, `${asked.channel}:${threadTs}`),
        timeline: deps.timeline,
        logger,
      });
      deps.errors.recordCouncil(shown.view);
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      const slackError = slackErrorOf(error);
      logger.warn({ slackError, channel: asked.channel, kind: error.kind }, "cannot post the council in this channel");
      const text = slackError === "channel_not_found" ? CHANNEL_NOT_FOUND : slackError === "not_in_channel" ? NOT_IN_CHANNEL : mayHaveBeenApplied(error) ? UNCONFIRMED : `I could not post the council here (${slackError ?? error.kind}).`;
      await tell(text).catch(() => {});
    } finally {
      cancel.abort();
      run.close();
    }
  }

  function onMention(mention: Mention): Promise<void> {
    return guarded(`mention ${mention.eventId}`, async () => {
      if (!deps.dedupe.firstTime(mention.eventId)) return void logger.info({ eventId: mention.eventId }, "a retried event; its council already runs");
      const threadTs = mention.threadTs ?? mention.ts;
      const tell = (text: string) => api.postEphemeral(mention.channel, mention.user, text, threadTs);
      // Left out silently, a file would make the council answer about something it never saw.
      if (mention.unreadableFiles.length > 0) return void (await tell(unreadableFilesText(mention.unreadableFiles)));
      const question = withoutMention(mention.text, deps.botUserId());
      await council({ teamId: mention.teamId, channel: mention.channel, user: mention.user, question, files: mention.files }, threadTs, tell);
    });
  }

  function onCouncilCommand(command: SlashCommand): Promise<void> {
    return guarded("/council", async () => {
      const tell = (text: string) => command.respond({ text, response_type: "ephemeral" });
      const question = command.text.trim();
      if (!question) return void (await tell("Ask a question: `/council Why is the sky blue?`"));
      const postRoot = async () => {
        const quoted = escapeSlack(question).replace(/\n/g, "\n>");
        const root = await api.post(command.channel, {
          text: `<@${command.user}> asked the council: ${escapeSlack(question)}`,
          // A question may be longer than one section holds (3000 characters).
          blocks: sections(`<@${command.user}> asked the council:\n>${quoted}`),
        });
        return root.ts;
      };
      await council({ teamId: command.teamId, channel: command.channel, user: command.user, question }, postRoot, tell);
    });
  }

  function onHealthCommand(command: Pick<SlashCommand, "user" | "respond">): Promise<void> {
    return guarded("/council-health", async () => {
      if (!deps.adminUserIds.includes(command.user)) {
        return void (await command.respond({ text: "/council-health is for the council's admins (SLACK_ADMIN_USER_IDS).", response_type: "ephemeral" }));
      }
      const message = healthMessage(await deps.health.report(), deps.councils, deps.errors.list());
      await command.respond({ ...message, response_type: "ephemeral" });
    });
  }

  function onStatsCommand(command: Pick<SlashCommand, "channel" | "user" | "text" | "respond">): Promise<void> {
    return guarded("/council-stats", () => stats(command));
  }

  return { onMention, onCouncilCommand, onHealthCommand, onStatsCommand };
}

export type SlackHandlers = ReturnType<typeof createSlackHandlers>;

function withoutMention(text: string, botUserId: string | undefined): string {
  return (botUserId ? text.replaceAll(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, "g"), "") : text.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>/, "")).trim();
}
