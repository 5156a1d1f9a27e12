import { z } from "zod";
import type { FileRefusalKind } from "./file-refused-error.js";

// What crosses between the bot's thread and the extraction worker, checked on arrival on both
// sides: the file's bytes in (their buffer transferred, not copied), its text out, or a refusal
// as plain data that the bot's side rebuilds as a FileRefusedError. Nothing else crosses: no
// object of pdf.js or mammoth, no function, no error object.

/** The refusals a reader gives from inside the worker; any other kind in a reply is a broken reply. */
const WORKER_REFUSALS = ["too-many-pages", "encrypted-pdf", "broken-pdf", "zip-bomb", "broken-docx"] as const satisfies readonly FileRefusalKind[];

const name = z.string().min(1).max(1000);
const bytes = z.instanceof(Uint8Array);

export const extractionRequestSchema = z.discriminatedUnion("type", [
  z.object({ id: z.number().int(), type: z.literal("pdf"), name, bytes, maxPages: z.number().int().positive() }),
  z.object({ id: z.number().int(), type: z.literal("docx"), name, bytes }),
]);
export type ExtractionRequest = z.infer<typeof extractionRequestSchema>;

export const extractionReplySchema = z.union([
  z.object({ id: z.number().int(), text: z.string(), pages: z.number().int().nonnegative().optional() }),
  z.object({
    id: z.number().int(),
    refusal: z.object({
      kind: z.enum(WORKER_REFUSALS),
      message: z.string().min(1).max(2000),
      /** What the reader's library threw, for the log: its name and message. */
      cause: z.object({ name: z.string().max(200), message: z.string().max(2000) }).optional(),
    }),
  }),
]);
export type ExtractionReply = z.infer<typeof extractionReplySchema>;
