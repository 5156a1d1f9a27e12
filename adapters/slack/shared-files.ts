import type { FileReference } from "../shared/file-reference.js";

// Where Slack says a user's files are: the `files` of the app_mention or message event (a
// file_share message in a DM) that asks the question. Each hosted file has url_private_download,
// read with the bot token (files:read). Some shared files carry no URL in the event: a file from
// another organisation over Slack Connect (file_access "check_file_info": only files.info would
// tell), or one hidden by the workspace's plan (mode "hidden_by_limit"); those are named by
// unreadableFiles so the asker can be told instead of the file being silently left out.

interface SlackFileJson {
  name?: unknown;
  title?: unknown;
  size?: unknown;
  mimetype?: unknown;
  url_private_download?: unknown;
  url_private?: unknown;
}

/** The files of an event that the bot can download, in the order they were shared. */
export function eventFiles(event: { files?: readonly unknown[] }): FileReference[] {
  return filesOf(event).flatMap((file) => {
    const url = downloadUrl(file);
    if (url === undefined) return [];
    const size = typeof file.size === "number" && Number.isFinite(file.size) ? file.size : 0;
    const contentType = typeof file.mimetype === "string" && file.mimetype !== "" ? file.mimetype : undefined;
    return [{ name: nameOf(file), url, size, ...(contentType === undefined ? {} : { contentType }) }];
  });
}

/** The names of an event's files that come without a URL to read them from. */
export function unreadableFiles(event: { files?: readonly unknown[] }): string[] {
  return filesOf(event)
    .filter((file) => downloadUrl(file) === undefined)
    .map(nameOf);
}

/** What the asker is told when some of their files cannot be fetched: which, why, and what to do. */
export function unreadableFilesText(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`).join(", ");
  return `Slack gives the bot no way to read ${quoted} (a file shared from another organisation, or hidden by this workspace's plan), so the council did not start. Download it and upload it here yourself, or ask without it.`;
}

function filesOf(event: { files?: readonly unknown[] }): SlackFileJson[] {
  return (Array.isArray(event.files) ? event.files : []).filter((file): file is SlackFileJson => typeof file === "object" && file !== null);
}

function downloadUrl(file: SlackFileJson): string | undefined {
  for (const url of [file.url_private_download, file.url_private]) if (typeof url === "string" && url !== "") return url;
  return undefined;
}

function nameOf(file: SlackFileJson): string {
  for (const name of [file.name, file.title]) if (typeof name === "string" && name !== "") return name;
  return "a shared file";
}
