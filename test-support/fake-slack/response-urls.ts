// response_url: every slash command carries one. POST /response/{id} with a JSON message
// (Bolt's respond() sends { text, response_type, ... }). Slack's rules: at most 5 uses within
// 30 minutes; after that 404 with "used_url" / "expired_url" as plain text (the error codes
// Slack's hooks answer with; the status is observed behaviour, not documented). An ephemeral
// reply is shown to the command's user only, an in_channel one becomes a channel message.
// The same delivery serves a reply carried in a Socket Mode ack's payload.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeClock } from "./clock.js";
import { SlackError } from "./errors.js";
import { opaqueId } from "./ids.js";
import type { ResponseUrlPost } from "./types.js";
import { readBlocks, validateBlocks, validateText, withBlockIds } from "./validation.js";
import { DEFAULT_WAIT_MS, type WaitList } from "../fake-kit/waits.js";
import { botMessageHead, type World } from "./world.js";

export const RESPONSE_PATH = "/response/";

interface Issued {
  command: string;
  channel: string;
  user: string;
  issuedAt: number;
  uses: number;
}

export interface ResponseUrlDeps {
  world: World;
  clock: FakeClock;
  waits: WaitList;
  lifetimeMs: number;
  maxUses: number;
  /** http://127.0.0.1:PORT */
  baseUrl(): string;
}

/** Shows a command's reply: ephemeral (the default) or in_channel. Throws a SlackError for a bad message. */
export function deliverReply(world: World, target: { channel: string; user: string }, body: Record<string, unknown>, source: "response_url" | "ack", now: number): "ephemeral" | "in_channel" {
  const blocks = readBlocks(body.blocks);
  const text = typeof body.text === "string" ? body.text : undefined;
  if (!text && !blocks?.length) throw new SlackError("no_text");
  if (blocks) validateBlocks(blocks);
  validateText(text);
  const shownBlocks = blocks?.length ? { blocks: withBlockIds(blocks) } : {};
  const threadTs = typeof body.thread_ts === "string" ? { thread_ts: body.thread_ts } : {};
  if (body.response_type === "in_channel") {
    world.add({
      ...botMessageHead(world, now),
      text: text ?? "",
      ...shownBlocks,
      ...threadTs,
      channel: target.channel,
      options: {},
      update_count: 0,
      deleted: false,
      source,
    });
    return "in_channel";
  }
  world.ephemerals.push({ message_ts: world.ts.next(now), channel: target.channel, user: target.user, text: text ?? "", ...shownBlocks, ...threadTs, at: now, source });
  return "ephemeral";
}

export function createResponseUrls(deps: ResponseUrlDeps) {
  const { world, clock, waits } = deps;
  const issued = new Map<string, Issued>();
  const posts: ResponseUrlPost[] = [];

  function answer(res: ServerResponse, status: number, text: string, json = false): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { "Content-Type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8" }).end(text);
  }

  function refuse(entry: Issued | undefined, now: number): string | undefined {
    if (!entry) return "not_found";
    if (now - entry.issuedAt > deps.lifetimeMs) return "expired_url";
    if (entry.uses >= deps.maxUses) return "used_url";
    return undefined;
  }

  return {
    posts,
    issue(command: { command: string; channel: string; user: string }): string {
      const id = opaqueId();
      issued.set(id, { ...command, issuedAt: clock.now(), uses: 0 });
      return `${deps.baseUrl()}${RESPONSE_PATH}${id}`;
    },
    async handle(req: IncomingMessage, res: ServerResponse, id: string, raw: Buffer): Promise<void> {
      const now = clock.now();
      const entry = issued.get(id);
      let body: unknown;
      let status = 200;
      let error: string | undefined;
      let responseType: ResponseUrlPost["responseType"] = "ephemeral";
      try {
        body = JSON.parse(raw.toString("utf8")) as unknown;
      } catch {
        body = raw.toString("utf8");
        error = "invalid_json";
      }
      const message = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
      if (message.response_type === "in_channel") responseType = "in_channel";
      const refused = refuse(entry, now);
      if (req.method !== "POST") [status, error] = [405, "method_not_allowed"];
      else if (refused) [status, error] = [404, refused];
      else if (error) status = 400;
      else if (entry) {
        try {
          responseType = deliverReply(world, entry, message, "response_url", now);
          entry.uses++;
        } catch (failure) {
          if (!(failure instanceof SlackError)) throw failure;
          [status, error] = [400, failure.code];
        }
      }
      posts.push({
        id,
        at: now,
        body,
        responseType,
        status,
        ...(error === undefined ? {} : { error }),
        ...(entry ? { command: { command: entry.command, channel: entry.channel, user: entry.user, issuedAt: entry.issuedAt } } : {}),
      });
      waits.notify();
      if (error === undefined) answer(res, 200, JSON.stringify({ ok: true }), true);
      else answer(res, status, error);
    },
    waitFor(predicate: (post: ResponseUrlPost) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<ResponseUrlPost> {
      return waits.wait(() => posts.find(predicate), timeoutMs, "response_url post");
    },
    /** The command a response_url id was issued for. */
    target: (id: string) => issued.get(id),
  };
}

export type ResponseUrls = ReturnType<typeof createResponseUrls>;
