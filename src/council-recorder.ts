import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { CouncilEvent } from "./council/events.js";
import { type Attachment, attachmentRecord } from "./files/index.js";
import { createCouncilStore } from "./store/council-store.js";
import { openDatabase } from "./store/open-database.js";
import { recordEvents } from "./store/record-events.js";
import { createSafeStore } from "./store/safe-store.js";

// The record for councils asked outside the chat bots (the terminal): the same table, the same
// meaning, platform "console", so the statistics count them. No admission and no thread: the
// terminal keeps its conversation itself.

export interface CouncilRecorder {
  /** Records a council and its files (never an image's bytes) as its events pass; the events reach the caller unchanged. */
  record(question: string, preset: string, events: AsyncIterable<CouncilEvent>, attachments?: readonly Attachment[]): AsyncIterable<CouncilEvent>;
  close(): void;
}

/** Opens COUNCIL_DB; throws StoreOpenError (naming it) when the file cannot be opened. */
export function openCouncilRecorder(path: string, asker: string, logger: Logger): CouncilRecorder {
  const db = openDatabase(path);
  const store = createSafeStore(createCouncilStore(db), logger.child({ module: "store" }));
  return {
    record(question, preset, events, attachments = []) {
      const id = randomUUID();
      store.create({ id, platform: "console", asker, question: question.trim(), preset });
      if (attachments.length > 0) store.files(id, attachments.map(attachmentRecord));
      return recordEvents(events, store, id);
    },
    close: () => db.close(),
  };
}
