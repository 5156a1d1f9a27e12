import type { BotConfig } from "../../config/index.js";

/** How much one question may bring; every figure is a bot setting (config/files.ts, config/bot.ts). */
export interface FileLimits {
  /** Files one question may carry. */
  maxFiles: number;
  /** Bytes one file may have. */
  maxFileBytes: number;
  /** Pages one PDF may have. */
  maxPdfPages: number;
  /** Characters of text kept from one document; the middle of a longer one is left out, and the result says how much. */
  maxCharacters: number;
  /** Width × height one image may have. */
  maxImagePixels: number;
}

export function fileLimitsOf(
  settings: Pick<BotConfig, "FILE_MAX_COUNT" | "FILE_MAX_BYTES" | "FILE_MAX_PDF_PAGES" | "FILE_MAX_CHARS" | "FILE_MAX_IMAGE_PIXELS">,
): FileLimits {
  return {
    maxFiles: settings.FILE_MAX_COUNT,
    maxFileBytes: settings.FILE_MAX_BYTES,
    maxPdfPages: settings.FILE_MAX_PDF_PAGES,
    maxCharacters: settings.FILE_MAX_CHARS,
    maxImagePixels: settings.FILE_MAX_IMAGE_PIXELS,
  };
}
