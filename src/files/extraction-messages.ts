import { z } from "zod";
import type { FileRefusalKind } from "./file-refused-error.js";
import { keptLengthAtMost } from "./keep-characters.js";

// What crosses between the bot's thread and the extraction worker, checked on arrival on both
// sides: the file's bytes in (their buffer transferred, not copied), its text out, or a refusal
// as plain data that the bot's side rebuilds as a FileRefusedError. Nothing else crosses: no
// object of pdf.js or mammoth, no function, no error object. Asked with `maxCharacters`, the
// thread sends back only what keepDocumentText keeps of the text (a long DOCX's millions of
// characters would otherwise be copied into the bot's heap, only to be cut there).

/** The refusals a reader gives from inside the worker; any other kind in a reply is a broken reply. */
const WORKER_REFUSALS = ["too-many-pages", "encrypted-pdf", "broken-pdf", "zip-bomb", "broken-docx"] as const satisfies readonly FileRefusalKind[];

const name = z.string().min(1).max(1000);
const bytes = z.instanceof(Uint8Array);
/** Characters of the text to keep (FILE_MAX_CHARS); without it the whole text comes back. */
const characterLimit = z.number().int().positive().optional();

export const extractionRequestSchema = z.discriminatedUnion("type", [
  z.object({ id: z.number().int(), type: z.literal("pdf"), name, bytes, maxPages: z.number().int().positive(), maxCharacters: characterLimit }),
  z.object({ id: z.number().int(), type: z.literal("docx"), name, bytes, maxCharacters: characterLimit }),
]);
export type ExtractionRequest = z.infer<typeof extractionRequestSchema>;

const id = z.number().int();
const pages = z.number().int().nonnegative().optional();
const count = z.number().int().nonnegative();

const wholeTextReply = z.object({ id, text: z.string(), pages });

/** The kept text, never longer than keepCharacters makes it for the characters asked: a longer one is a broken reply. */
const keptTextReply = (max: number) =>
  z.object({
    id,
    text: z.string().max(keptLengthAtMost(max), `a text longer than the ${max} characters asked for`),
    pages,
    characters: z
      .object({ total: count, used: count.max(max, `more than the ${max} characters asked for kept`) })
      .refine(({ total, used }) => used <= total, "more characters kept than the text has"),
    blank: z.boolean(),
  });

const refusalReply = z.object({
  id,
  refusal: z.object({
    kind: z.enum(WORKER_REFUSALS),
    message: z.string().min(1).max(2000),
    /** What the reader's library threw, for the log: its name and message. */
    cause: z.object({ name: z.string().max(200), message: z.string().max(2000) }).optional(),
  }),
});

/** What a reply to a request asking `maxCharacters` (or none) must be. */
export function extractionReplySchema(maxCharacters: number | undefined) {
  return z.union([maxCharacters === undefined ? wholeTextReply : keptTextReply(maxCharacters), refusalReply]);
}
export type ExtractionReply = z.infer<typeof wholeTextReply> | z.infer<ReturnType<typeof keptTextReply>> | z.infer<typeof refusalReply>;
