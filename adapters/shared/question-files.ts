import type { Preset } from "../../src/council/preset.js";
import type { CouncilService } from "../../src/council-service.js";
import { type Attachment, checkFileCount, type FileLimits, FileRefusedError, readAttachments } from "../../src/files/index.js";
import type { FileDownloader } from "./file-download.js";
import { FileDownloadError } from "./file-download-error.js";
import type { FileReference } from "./file-reference.js";
import { refusalText } from "./refusal-text.js";

// The files a chat question carries, made ready for the council the same way on every
// platform: downloaded from the platform's file hosts, read (type from the bytes, the limits),
// and checked against the preset (an image needs a member that can see). Either every file is
// ready, or the asker gets one message saying what is wrong and what to do, and nothing runs.

export type PreparedFiles = { ready: true; attachments: Attachment[] } | { ready: false; message: string };

export interface QuestionFilesDeps {
  downloader: FileDownloader;
  limits: FileLimits;
  councils: Pick<CouncilService, "checkAttachments">;
}

export type QuestionFiles = (files: readonly FileReference[], preset: Preset, signal?: AbortSignal) => Promise<PreparedFiles>;

export function createQuestionFiles(deps: QuestionFilesDeps): QuestionFiles {
  return async (files, preset, signal) => {
    if (files.length === 0) return { ready: true, attachments: [] };
    try {
      // The count first: nothing is downloaded for a question that brings too many.
      checkFileCount(files.length, deps.limits);
      // One after the other: each may be FILE_MAX_BYTES, and a question holds them all at once anyway.
      const downloaded = [];
      for (const file of files) downloaded.push(await deps.downloader.download(file, signal));
      const attachments = await readAttachments(downloaded, deps.limits);
      const refusal = await deps.councils.checkAttachments(preset, attachments);
      return refusal ? { ready: false, message: refusalText(refusal) } : { ready: true, attachments };
    } catch (error) {
      if (error instanceof FileDownloadError || error instanceof FileRefusedError) return { ready: false, message: error.message };
      throw error;
    }
  };
}
