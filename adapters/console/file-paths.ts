import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { type Attachment, checkFileCount, type FileLimits, readAttachment } from "../../src/files/index.js";

// Files the terminal user names by path (`--file PATH`, `/file PATH`), read with the same
// limits and checks as the files shared in a chat: the path only says where; the bytes decide
// what the file is.

/** A path that names no file the council can open; the message says which and what to check. */
export class UnreadablePathError extends Error {
  override readonly name = "UnreadablePathError";
  readonly kind = "unreadable-path";
}

/** The files at these paths, read in order; the count is checked before any is opened. */
export async function readFilesAt(paths: readonly string[], limits: FileLimits): Promise<Attachment[]> {
  checkFileCount(paths.length, limits);
  const attachments: Attachment[] = [];
  for (const path of paths) attachments.push(await readFileAt(path, limits));
  return attachments;
}

/** One file, read; a FileRefusedError when the council does not read it, an UnreadablePathError when it cannot be opened. */
export async function readFileAt(path: string, limits: FileLimits): Promise<Attachment> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "there is no such file: check the path (it is relative to the folder you run the command in)"
      : code === "EISDIR" ? "it is a folder: name a file inside it"
      : code === "EACCES" || code === "EPERM" ? "you may not read it: check its permissions"
      : `it could not be read (${code ?? (error as Error).message})`;
    throw new UnreadablePathError(`The file ${JSON.stringify(path)} cannot be attached: ${why}.`, { cause: error });
  }
  return readAttachment(basename(path), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), limits);
}
