// Discord's CDN on the fake's own port: attachments are served at
// /attachments/{channel}/{id}/{filename} (a message's files) and
// /ephemeral-attachments/{application}/{id}/{filename} (a slash command's attachment option),
// under signed links as Discord's have been since December 2023: `ex` (expiry) and `is` (issue
// time), unix seconds in hex, and `hm`, a signature over both. A link without them, with a wrong
// signature, or past its expiry (24 h after it was handed out, on the fake's clock) gets Discord's
// 404 "This content is no longer available." The CDN takes no token: the signed link is the key.
import { createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeClock } from "./clock.js";
import { createDownloadDesk, type DownloadDesk } from "../fake-kit/file-downloads.js";
import type { FakeAttachment } from "./types.js";
import type { World } from "./world.js";

/** How long a signed attachment link works after Discord hands it out. */
export const CDN_LINK_LIFETIME_MS = 24 * 60 * 60_000;

const GONE = "This content is no longer available.";
const PATH = /^\/(attachments|ephemeral-attachments)\/(\d+)\/(\d+)\/([^/]+)$/;

/** A file a test attaches as a user would: a name and its bytes. */
export interface AttachmentInput {
  name: string;
  data: Uint8Array | string;
  /** The type Discord reports (it goes by the name's extension); default none. */
  contentType?: string;
  description?: string;
  /** The size the attachment JSON claims; default the bytes' length (set it to make Discord's word lie). */
  size?: number;
}

export interface Cdn extends Pick<DownloadDesk, "downloads" | "failNext"> {
  /**
   * Keeps the bytes and returns the attachment JSON with signed links on this CDN. `where`:
   * a channel's message, or (ephemeral) a slash command's option of this application.
   */
  attach(where: { channelId: string } | { applicationId: string }, file: AttachmentInput): FakeAttachment;
  /** Serves GET/HEAD of a CDN path; false when the path is not the CDN's. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  reset(): void;
}

export function createCdn(world: World, clock: FakeClock, baseUrl: () => string): Cdn {
  const secret = randomBytes(32);
  const types = new Map<string, string>();
  const desk = createDownloadDesk(() => clock.now());
  const signature = (path: string, ex: string, is: string) => createHmac("sha256", secret).update(`${path}\n${ex}\n${is}`).digest("hex");

  function signedUrl(path: string): string {
    const issued = Math.floor(clock.now() / 1000);
    const ex = Math.floor((clock.now() + CDN_LINK_LIFETIME_MS) / 1000).toString(16);
    const is = issued.toString(16);
    return `${baseUrl()}${path}?ex=${ex}&is=${is}&hm=${signature(path, ex, is)}&`;
  }

  function validLink(path: string, query: URLSearchParams): boolean {
    const ex = query.get("ex");
    const is = query.get("is");
    const hm = query.get("hm");
    if (!ex || !is || !hm || hm !== signature(path, ex, is)) return false;
    return Number.parseInt(ex, 16) * 1000 > clock.now();
  }

  return {
    downloads: desk.downloads,
    failNext: desk.failNext,
    reset: desk.reset,
    attach(where, file) {
      const id = world.ids.next();
      const data = typeof file.data === "string" ? new TextEncoder().encode(file.data) : file.data;
      world.attachmentData.set(id, data);
      if (file.contentType) types.set(id, file.contentType);
      const path = "channelId" in where ? `/attachments/${where.channelId}/${id}/${encodeURIComponent(file.name)}` : `/ephemeral-attachments/${where.applicationId}/${id}/${encodeURIComponent(file.name)}`;
      const attachment: FakeAttachment = { id, filename: file.name, size: file.size ?? data.length, url: signedUrl(path), proxy_url: signedUrl(path) };
      if (file.contentType) attachment.content_type = file.contentType;
      if (file.description !== undefined) attachment.description = file.description;
      if (!("channelId" in where)) attachment.ephemeral = true;
      return attachment;
    },
    handle(req, res) {
      const url = new URL(req.url ?? "/", "http://fake-discord-cdn");
      const match = PATH.exec(url.pathname);
      if (!match) return false;
      const text = (status: number, body: string) => desk.send(req, res, { status, body: new TextEncoder().encode(body), headers: { "Content-Type": "text/plain; charset=utf-8" } });
      const method = (req.method ?? "GET").toUpperCase();
      if (method !== "GET" && method !== "HEAD") return text(405, "405: Method Not Allowed"), true;
      const id = match[3] ?? "";
      const data = world.attachmentData.get(id);
      if (!data || !validLink(url.pathname, url.searchParams)) return text(404, GONE), true;
      desk.send(req, res, { status: 200, body: data, headers: { "Content-Type": types.get(id) ?? "application/octet-stream" } });
      return true;
    },
  };
}
