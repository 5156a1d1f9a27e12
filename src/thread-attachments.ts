import { createHash } from "node:crypto";
import type { Attachment, DocumentAttachment } from "./files/index.js";
import type { FileRecord } from "./store/council-record.js";

// A follow-up keeps the files its conversation was asked about, read from the store rather
// than downloaded again: a document as it was read, an image as the description a member wrote
// of it (its bytes were never kept). The question's own files come after them.

/**
 * The most earlier files a follow-up carries: the 6 most recent distinct ones, two questions'
 * worth at the default FILE_MAX_COUNT (3). Each document takes up to FILE_MAX_CHARS of every
 * member's prompt before the engine cuts it to the model's num_ctx; carrying every file of a long
 * thread would share a small context among documents the conversation has moved past.
 */
export const EARLIER_FILES_MAX = 6;

/** The thread's earlier files (oldest first, as the store gives them), then the question's own; a file asked again comes once, as the question's. */
export function threadAttachments(earlier: readonly FileRecord[], asked: readonly Attachment[]): Attachment[] {
  const askedAgain = new Set(asked.map((file) => file.sha256));
  const carried = earlier.flatMap((file) => {
    if (askedAgain.has(file.sha256)) return [];
    if (file.kind === "document") return [file];
    return file.description === undefined ? [] : [describedImage(file.name, file.description)];
  });
  return [...carried, ...asked];
}

/** An image's description as a text document, named after the image so the members know what it stands for. */
function describedImage(name: string, description: string): DocumentAttachment {
  const bytes = Buffer.from(description);
  return {
    kind: "document",
    type: "text",
    name: `${name} (description)`,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    pages: undefined,
    characters: { total: description.length, used: description.length },
    text: description,
  };
}
