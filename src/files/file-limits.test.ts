import { describe, expect, it } from "vitest";
import { loadBotConfig } from "../../config/index.js";
import { fileLimitsOf } from "./file-limits.js";

describe("the file limits from the settings", () => {
  it("are the settings' defaults unless set", () => {
    expect(fileLimitsOf(loadBotConfig({}))).toEqual({ maxFiles: 3, maxFileBytes: 10 * 1024 * 1024, maxPdfPages: 200, maxCharacters: 200_000, maxImagePixels: 25_000_000 });
    expect(fileLimitsOf(loadBotConfig({ FILE_MAX_COUNT: "1", FILE_MAX_BYTES: "2048", FILE_MAX_PDF_PAGES: "5", FILE_MAX_CHARS: "5000", FILE_MAX_IMAGE_PIXELS: "1000000" }))).toEqual({
      maxFiles: 1,
      maxFileBytes: 2048,
      maxPdfPages: 5,
      maxCharacters: 5000,
      maxImagePixels: 1_000_000,
    });
  });
});
