// The external file upload (files:write), as web-api's files.uploadV2 drives it:
// files.getUploadURLExternal announces a file (filename, length) and answers an upload URL and a
// file id; the bytes are POSTed to that URL (uploads.ts); files.completeUploadExternal then
// shares the files in a channel (or a thread, with an optional comment), or keeps them
// private without one. Completion may be called once per file: an unknown id, a file whose
// bytes never came, or one completed already is file_not_found.
import { botMessageHead } from "./world.js";
import { randomBytes } from "node:crypto";
import { SlackError } from "./errors.js";
import type { MethodContext, MethodDef } from "./method-context.js";
import { writableChannel } from "./method-context.js";
import type { FakeSlackChannel, FakeSlackFile } from "./types.js";
import { readBlocks, validateBlocks, validateText } from "./validation.js";
import { UPLOAD_PATH } from "./uploads.js";
import { FILES_PATH, mimetypeOf } from "./file-host.js";

/** Slack's limit on a file: 1 GB. */
export const MAX_FILE_BYTES = 1024 ** 3;

function invalid(message: string): SlackError {
  return new SlackError("invalid_arguments", { response_metadata: { messages: [`[ERROR] ${message}`] } });
}

const getUploadUrl: MethodDef = {
  token: "bot",
  scope: "files:write",
  handle({ world, args, baseUrl }) {
    const name = args.filename === undefined ? "" : String(args.filename);
    if (name === "") throw invalid("missing required field: filename");
    const length = Number(args.length);
    // Slack's docs: missing_argument "typically only occurs when the length provided is 0".
    if (args.length === undefined || args.length === "" || length === 0) throw new SlackError("missing_argument");
    if (!Number.isInteger(length) || length < 0) throw invalid("length must be a positive integer");
    if (length > MAX_FILE_BYTES) throw new SlackError("file_upload_size_restricted");
    const id = `F0${randomBytes(5).toString("hex").toUpperCase()}`;
    const altText = args.alt_text ?? args.alt_txt;
    const file: FakeSlackFile = {
      id,
      name,
      length,
      ...(altText !== undefined && { altText: String(altText) }),
      uploadUrl: `${baseUrl}${UPLOAD_PATH}${randomBytes(12).toString("hex")}`,
      completed: false,
      shares: [],
    };
    world.files.push(file);
    return { upload_url: file.uploadUrl, file_id: id };
  },
};

/** The file as Slack's file JSON shows it in a message and in the completion's answer. */
function publicFile(ctx: MethodContext, file: FakeSlackFile, channels: readonly string[]): Record<string, unknown> {
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? "";
  return {
    id: file.id,
    created: Math.floor(ctx.now / 1000),
    timestamp: Math.floor(ctx.now / 1000),
    name: file.name,
    title: file.title ?? file.name,
    mimetype: mimetypeOf(file.name),
    filetype: extension || "binary",
    user: ctx.world.bot.userId,
    size: file.data?.length ?? 0,
    mode: "hosted",
    is_external: false,
    is_public: channels.some((id) => !ctx.world.channels.get(id)?.isPrivate),
    url_private: `${ctx.baseUrl}${FILES_PATH}${ctx.world.team.id}-${file.id}/${encodeURIComponent(file.name)}`,
    url_private_download: `${ctx.baseUrl}${FILES_PATH}${ctx.world.team.id}-${file.id}/download/${encodeURIComponent(file.name)}`,
    ...(file.altText !== undefined && { alt_txt: file.altText }),
    channels: channels.filter((id) => !ctx.world.channels.get(id)?.isPrivate),
    groups: channels.filter((id) => ctx.world.channels.get(id)?.isPrivate && !ctx.world.channels.get(id)?.isIm),
    ims: channels.filter((id) => ctx.world.channels.get(id)?.isIm),
  };
}

function requestedFiles(ctx: MethodContext): Array<{ file: FakeSlackFile; title?: string }> {
  const entries = ctx.args.files;
  if (!Array.isArray(entries) || entries.length === 0) throw invalid("files must be a non-empty array of {id, title}");
  return entries.map((entry: unknown) => {
    const id = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>).id : undefined;
    const file = ctx.world.files.find((candidate) => candidate.id === id);
    if (!file || file.completed || file.data === undefined) throw new SlackError("file_not_found");
    const title = (entry as Record<string, unknown>).title;
    return { file, ...(typeof title === "string" && title !== "" && { title }) };
  });
}

function destinations(ctx: MethodContext): FakeSlackChannel[] {
  const { args, world } = ctx;
  const ids = args.channel_id !== undefined && args.channel_id !== "" ? [String(args.channel_id)] : args.channels !== undefined && args.channels !== "" ? String(args.channels).split(",").map((id) => id.trim()) : [];
  // A user id stands for the bot's DM with that user, as in chat.postMessage.
  return ids.map((id) => (world.user(id) && !world.channels.has(id) ? world.openIm(id) : writableChannel(world, id)));
}

const complete: MethodDef = {
  token: "bot",
  scope: "files:write",
  handle(ctx) {
    const { world, args } = ctx;
    // Everything is checked before anything changes: a refused completion leaves the files uploadable.
    const files = requestedFiles(ctx);
    const channels = destinations(ctx);
    const text = args.initial_comment === undefined ? undefined : String(args.initial_comment);
    validateText(text);
    // Slack ignores blocks when there is an initial comment.
    const blocks = text === undefined ? readBlocks(args.blocks) : undefined;
    if (blocks) validateBlocks(blocks);
    const threadTs = args.thread_ts === undefined || args.thread_ts === "" ? undefined : String(args.thread_ts);

    for (const { file, title } of files) {
      file.completed = true;
      if (title !== undefined) file.title = title;
    }
    const channelIds = channels.map((channel) => channel.id);
    for (const channel of channels) {
      const message = world.add({
        ...botMessageHead(world, ctx.now),
        text: text ?? "",
        ...(blocks?.length ? { blocks } : {}),
        files: files.map(({ file }) => publicFile(ctx, file, channelIds)),
        upload: true,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        channel: channel.id,
        options: {},
        update_count: 0,
        deleted: false,
        source: "api",
      });
      for (const { file } of files) file.shares.push({ channel: channel.id, ts: message.ts, ...(threadTs !== undefined && { threadTs }) });
    }
    return { files: files.map(({ file }) => ({ id: file.id, title: file.title ?? file.name })) };
  },
};

export const FILE_METHODS: Record<string, MethodDef> = {
  "files.getUploadURLExternal": getUploadUrl,
  "files.completeUploadExternal": complete,
};
