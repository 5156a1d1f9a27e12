import { integer } from "./settings.js";

// What one question may bring as files beyond their size (FILE_MAX_BYTES, beside the download
// settings in bot.ts). Each bound keeps one hostile or careless upload from taking the bot's
// memory or the models' context: a PDF's pages and an image's pixels are what their decoders
// allocate for, and a document's text is kept in every member's prompt and in the record.
export const fileSettings = {
  FILE_MAX_COUNT: integer({ min: 0, max: 10, default: 3 }).describe(
    "set it to how many files one question may carry (default 3; 0 turns files off).",
  ),
  FILE_MAX_PDF_PAGES: integer({ min: 1, max: 2000, default: 200 }).describe(
    "set it to how many pages one PDF may have (default 200).",
  ),
  FILE_MAX_CHARS: integer({ min: 1000, max: 5_000_000, default: 200_000 }).describe(
    "set it to how many characters of one document's text are kept (default 200000); past it the middle is left out, and the council says so.",
  ),
  FILE_MAX_IMAGE_PIXELS: integer({ min: 10_000, max: 200_000_000, default: 25_000_000 }).describe(
    "set it to the width x height one image may have, in pixels (default 25000000: a 12-megapixel photo or a 5K screenshot passes).",
  ),
};
