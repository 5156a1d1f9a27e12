// Slack's file host (files.slack.com on Slack) on the fake's own port: the files users share
// (and those the bot uploaded) at /files-pri/{team}-{file}/{name} (url_private) and
// /files-pri/{team}-{file}/download/{name} (url_private_download). Only a request with
// `Authorization: Bearer <bot token>` whose token has files:read gets the bytes; anything else
// is what Slack does to an unsigned-in browser: a 302 to the workspace's sign-in page, which
// answers 200 with HTML (a client that follows redirects gets a web page instead of the file).
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { FakeClock } from "./clock.js";
import { createDownloadDesk, type DownloadDesk } from "../fake-kit/file-downloads.js";
import type { World } from "./world.js";

export const FILES_PATH = "/files-pri/";
/** The scope a bot token needs to read files' bytes. */
export const FILES_READ_SCOPE = "files:read";

const FILE_PATH = /^\/files-pri\/([A-Z0-9]+)-(F[A-Z0-9]+)\/(?:download\/)?([^/]+)$/;
const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body><form action="/signin">Sign in to your workspace</form></body></html>';

/** A file a test shares as a user would: a name and its bytes. */
export interface SharedFileInput {
  name: string;
  data: Uint8Array | string;
  /** Default: from the name's extension, else application/octet-stream. */
  mimetype?: string;
  /** The size the file JSON claims; default the bytes' length (set it to make Slack's word lie). */
  size?: number;
}

export interface FileHost extends Pick<DownloadDesk, "downloads" | "failNext" | "reset"> {
  /** Keeps the bytes and returns Slack's file JSON (as in a message's `files`), shared by `user` in `channel`. */
  share(file: SharedFileInput, where: { user: string; channel: string }): Record<string, unknown>;
  /** Where the bytes of a file are served: its url_private_download. */
  downloadUrl(fileId: string, name: string): string;
  /** Serves a file or the sign-in page; false when the path is neither. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

const MIME_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", txt: "text/plain", log: "text/plain", md: "text/markdown", csv: "text/csv", json: "application/json", pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" };

export function mimetypeOf(name: string): string {
  return MIME_TYPES[/\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? ""] ?? "application/octet-stream";
}

export function createFileHost(deps: { world: World; clock: FakeClock; baseUrl: () => string; botToken?: string }): FileHost {
  const { world, clock, baseUrl } = deps;
  const shared = new Map<string, { data: Uint8Array; mimetype: string }>();
  const desk = createDownloadDesk(() => clock.now());
  const filePath = (fileId: string, name: string, download: boolean) => `${FILES_PATH}${world.team.id}-${fileId}/${download ? "download/" : ""}${encodeURIComponent(name)}`;

  /** The bytes of a file users shared, or of one the bot uploaded and completed. */
  function bytesOf(fileId: string): { data: Uint8Array; mimetype: string } | undefined {
    const user = shared.get(fileId);
    if (user) return user;
    const uploaded = world.files.find((file) => file.id === fileId && file.completed && file.data !== undefined);
    return uploaded?.data ? { data: uploaded.data, mimetype: mimetypeOf(uploaded.name) } : undefined;
  }

  function authorized(req: IncomingMessage): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!token?.startsWith("xoxb-") || (deps.botToken !== undefined && token !== deps.botToken)) return false;
    return world.scopes.has(FILES_READ_SCOPE);
  }

  return {
    downloads: desk.downloads,
    failNext: desk.failNext,
    reset: desk.reset,
    downloadUrl: (fileId, name) => `${baseUrl()}${filePath(fileId, name, true)}`,
    share(file, where) {
      const id = `F0${randomBytes(5).toString("hex").toUpperCase()}`;
      const data = typeof file.data === "string" ? new TextEncoder().encode(file.data) : file.data;
      const mimetype = file.mimetype ?? mimetypeOf(file.name);
      shared.set(id, { data, mimetype });
      const now = Math.floor(clock.now() / 1000);
      const channel = world.channels.get(where.channel);
      return {
        id,
        created: now,
        timestamp: now,
        name: file.name,
        title: file.name,
        mimetype,
        filetype: /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? "binary",
        pretty_type: mimetype,
        user: where.user,
        user_team: world.team.id,
        editable: false,
        size: file.size ?? data.length,
        mode: "hosted",
        is_external: false,
        external_type: "",
        is_public: channel !== undefined && !channel.isPrivate,
        public_url_shared: false,
        display_as_bot: false,
        username: "",
        url_private: `${baseUrl()}${filePath(id, file.name, false)}`,
        url_private_download: `${baseUrl()}${filePath(id, file.name, true)}`,
        permalink: `${baseUrl()}/files/${where.user}/${id}/${encodeURIComponent(file.name)}`,
        has_rich_preview: false,
        file_access: "visible",
      };
    },
    handle(req, res, url) {
      if (url.pathname === "/" && url.searchParams.has("redir")) {
        desk.send(req, res, { status: 200, body: new TextEncoder().encode(SIGN_IN_PAGE), headers: { "Content-Type": "text/html; charset=utf-8" } });
        return true;
      }
      const match = FILE_PATH.exec(url.pathname);
      if (!match) return false;
      const empty = new Uint8Array(0);
      if (!authorized(req)) {
        desk.send(req, res, { status: 302, body: empty, headers: { Location: `${baseUrl()}/?redir=${encodeURIComponent(url.pathname)}` } });
        return true;
      }
      const file = match[1] === world.team.id ? bytesOf(match[2] ?? "") : undefined;
      if (!file) {
        desk.send(req, res, { status: 404, body: new TextEncoder().encode("file_not_found"), headers: { "Content-Type": "text/plain; charset=utf-8" } });
        return true;
      }
      desk.send(req, res, { status: 200, body: file.data, headers: { "Content-Type": file.mimetype } });
      return true;
    },
  };
}
