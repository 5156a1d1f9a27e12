import type { Database } from "better-sqlite3";
import type { AttachmentRecord, DocumentType, ImageType } from "../files/index.js";
import type { FileRecord } from "./council-record.js";

// The files each council was asked about (table council_files, schema version 4): what a
// follow-up in the same conversation carries instead of downloading them again. Never an
// image's bytes: a follow-up gets an image as the description a member wrote of it.

/**
 * How many of a conversation's latest file rows a follow-up looks through for the files it
 * carries. A thread may run for months; its follow-up reads a bounded number of rows (without
 * their text) whatever its length, and the text of only the files it takes.
 */
const THREAD_ROWS_SCANNED = 200;

export interface CouncilFiles {
  /** A council's files, in the order they were given. */
  record(id: string, files: readonly AttachmentRecord[]): void;
  /** The description a member wrote of one of a council's images, known by its bytes' sha256. */
  describe(id: string, sha256: string, description: string): void;
  /**
   * Up to `max` distinct files (by sha256) of a conversation's councils that a follow-up can
   * carry, the most recent ones, returned oldest first: documents, and images a member
   * described (an image never described cannot be carried: its bytes were not kept).
   */
  ofThread(threadKey: string, max: number): FileRecord[];
}

interface FileRow {
  council_id: string;
  position: number;
  kind: "document" | "image";
  name: string;
  type: string;
  size: number;
  sha256: string;
  pages: number | null;
  characters_total: number | null;
  characters_used: number | null;
  width: number | null;
  height: number | null;
  text: string | null;
  description: string | null;
}

type FileFacts = Pick<FileRow, "council_id" | "position" | "kind" | "sha256"> & { described: 0 | 1 };

export function createCouncilFiles(db: Database): CouncilFiles {
  const insert = db.prepare(
    `INSERT INTO council_files (council_id, position, kind, name, type, size, sha256, pages, characters_total, characters_used, width, height, text)
     VALUES (@council_id, @position, @kind, @name, @type, @size, @sha256, @pages, @characters_total, @characters_used, @width, @height, @text)`,
  );
  const record = db.transaction((id: string, files: readonly AttachmentRecord[]) => {
    files.forEach((file, position) => insert.run(rowOf(id, position, file)));
  });
  // By the bytes, not the name: names repeat (every screenshot pasted into Discord is
  // "image.png"), and descriptions arrive in the order they finish. The same image given twice
  // has one description, so each copy gets it.
  const setDescription = db.prepare(
    `UPDATE council_files SET description = @description
     WHERE council_id = @id AND kind = 'image' AND sha256 = @sha256 AND description IS NULL`,
  );
  const selectThreadFacts = db.prepare(
    `SELECT f.council_id, f.position, f.kind, f.sha256, f.description IS NOT NULL AS described
     FROM council_files f JOIN councils c ON c.id = f.council_id
     WHERE c.thread_key = ?
     ORDER BY c.created_at DESC, c.rowid DESC, f.position DESC
     LIMIT ${THREAD_ROWS_SCANNED}`,
  );
  const selectFile = db.prepare("SELECT * FROM council_files WHERE council_id = ? AND position = ?");

  return {
    record: (id, files) => record(id, files),
    describe(id, sha256, description) {
      setDescription.run({ id, sha256, description });
    },
    ofThread(threadKey, max) {
      // Newest first: the latest usable copy of each file, until `max` files are chosen.
      const chosen = new Map<string, FileFacts>();
      for (const facts of selectThreadFacts.all(threadKey) as FileFacts[]) {
        if (chosen.size >= max) break;
        if (chosen.has(facts.sha256) || (facts.kind === "image" && !facts.described)) continue;
        chosen.set(facts.sha256, facts);
      }
      return [...chosen.values()].reverse().map((facts) => fileOf(selectFile.get(facts.council_id, facts.position) as FileRow));
    },
  };
}

function rowOf(councilId: string, position: number, file: AttachmentRecord): FileRow {
  const common = { council_id: councilId, position, kind: file.kind, name: file.name, type: file.type, size: file.size, sha256: file.sha256, description: null };
  return file.kind === "document"
    ? {
        ...common,
        pages: file.pages ?? null,
        characters_total: file.characters.total,
        characters_used: file.characters.used,
        width: null,
        height: null,
        text: file.text,
      }
    : { ...common, pages: null, characters_total: null, characters_used: null, width: file.width, height: file.height, text: null };
}

function fileOf(row: FileRow): FileRecord {
  const facts = { name: row.name, size: row.size, sha256: row.sha256 };
  if (row.kind === "image") {
    return {
      kind: "image",
      type: row.type as ImageType,
      ...facts,
      width: row.width ?? 0,
      height: row.height ?? 0,
      ...(row.description !== null && { description: row.description }),
    };
  }
  return {
    kind: "document",
    type: row.type as DocumentType,
    ...facts,
    pages: row.pages ?? undefined,
    characters: { total: row.characters_total ?? 0, used: row.characters_used ?? 0 },
    text: row.text ?? "",
  };
}
